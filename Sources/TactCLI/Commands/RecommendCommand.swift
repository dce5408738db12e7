import ArgumentParser
import Foundation
import TactCore
import TactEngine
import TactRecommend

/// Options shared by the commands that serve a trained model.
struct ServingOptions: ParsableArguments {
    @OptionGroup var global: GlobalOptions
    @Option(
        help:
            "The trained model to serve: als, knn, ease, popular, dp-als or dp-popular (from 'tact train --algorithm'; default: the last model search's choice, else als)."
    ) var algorithm: ModelOptions.Algorithm?
    @Option(help: ArgumentHelp("The model file (default: DIR/models/ALGORITHM.tactmodel).", valueName: "FILE")) var model: String?

    var path: String {
        let models = ModelDirectory(directory: global.directory)
        return model ?? models.modelPath(algorithm: algorithm?.rawValue ?? models.defaultAlgorithm)
    }

    /// The model alone (no popularity): for similar items and explanations.
    func recommender() throws -> ModelRecommender {
        let (served, metadata) = try ModelStorage.loadServable(path: path)
        return try ModelRecommender(engine: try global.openExisting(), served: served, itemIDs: metadata.items)
    }

    /// The model with the popularity it may show (`PopularitySource`): exact counts, or a private
    /// model's own release. The recommender's novelty discount already uses it.
    func load() throws -> (recommender: ModelRecommender, popularity: TrainedPopularity) {
        let engine = try global.openExisting()
        let (served, metadata) = try ModelStorage.loadServable(path: path)
        let popularity = try PopularitySource(algorithm: metadata.algorithm)
            .popularity(engine: engine, model: served, itemIDs: metadata.items, releasedPopularity: metadata.releasedPopularity)
        return (try ModelRecommender(engine: engine, served: served, itemIDs: metadata.items).withPopularity(from: popularity), popularity)
    }

    /// Who gets which recommendation (`PersonalRecommendations`), over this model and the stored catalog.
    func policy() throws -> PersonalRecommendations {
        let (recommender, popularity) = try load()
        return PersonalRecommendations(
            engine: recommender.engine, recommender: recommender, popularity: popularity,
            catalog: try StoredCatalog(engine: recommender.engine))
    }
}

/// MMR, group caps and the novelty discount, as `tact recommend` and `tact playlist` take them.
struct DiversityOptions: ParsableArguments {
    @Option(help: "Maximal marginal relevance: 1 (default) ranks by relevance alone; lower values trade relevance for diversity.") var mmrLambda: Float = 1
    @Option(help: "At most this many items sharing a tag (0: no cap).") var maxPerTag = 0
    @Option(help: "Discount popular items by this weight (0 to 1; 0 is off).") var novelty: Float = 0
    @Option(help: "Share of the list (0 to 1) for new items the model has not seen, chosen by their tags.") var exploration: Float = 0

    func validate() throws {
        guard (0...1).contains(exploration) else { throw ValidationError("--exploration must be from 0 to 1") }
        guard (0...1).contains(mmrLambda) else { throw ValidationError("--mmr-lambda must be from 0 to 1") }
        guard maxPerTag >= 0 else { throw ValidationError("--max-per-tag must be 0 or more") }
        guard (0...1).contains(novelty) else { throw ValidationError("--novelty must be from 0 to 1") }
    }

    var options: RerankOptions { RerankOptions(lambda: mmrLambda, maxPerGroup: maxPerTag > 0 ? maxPerTag : nil, novelty: novelty, exploration: exploration) }
}

struct RecommendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recommend",
        abstract: "Recommend items for a person, with the reasons.",
        discussion: """
            Folds the person's current history into the trained model (so new events count without \
            retraining) and ranks every item, leaving out what they already had. Each item comes with \
            the history items that contributed most to its score. A person who has not consented to \
            personalization, or has no history, gets what is popular with everyone.
            """)

    @OptionGroup var serving: ServingOptions
    @Argument(help: "The person's user id.") var user: String
    @Option(help: "How many items.") var k = 10
    @Option(name: .customLong("tag"), help: ArgumentHelp("Only items with this tag (repeatable).", valueName: "TAG")) var tags: [String] = []
    @Option(name: .customLong("not-tag"), help: ArgumentHelp("No items with this tag (repeatable).", valueName: "TAG")) var notTags: [String] = []
    @Option(name: .customLong("exclude"), help: ArgumentHelp("Leave out this item (repeatable).", valueName: "ITEM")) var excluded: [String] = []
    @OptionGroup(title: "Diversity and novelty") var diversity: DiversityOptions
    @Flag(help: "Print the result as one JSON line.") var json = false

    func validate() throws {
        guard (1...1000).contains(k) else { throw ValidationError("--k must be between 1 and 1000") }
    }

    /// The person's list, as `PersonalRecommendations` decides it (the server's routes ask the same).
    func list() throws -> RecommendationList {
        let policy = try serving.policy()
        let filter = RecommendationFilter(includeTags: Set(tags), excludeTags: Set(notTags), excludeItems: Set(excluded))
        return try policy.forPerson(policy.engine.pseudonymizer.pseudonym(for: user), RecommendationRequest(k: k, filter: filter, rerank: diversity.options))
    }

    func run() throws {
        let started = Date()
        let list = try list()
        let milliseconds = Date().timeIntervalSince(started) * 1000
        if json {
            try printJSONLine([
                "personalized": list.personalized, "fallback_reason": list.fallback?.rawValue as Any, "milliseconds": milliseconds,
                "items": list.items.map { r in
                    var entry: [String: Any] = ["id": r.item.id, "title": r.item.title, "score": Double(r.score)]
                    var reasons: [[String: Any]] = []
                    for reason in r.reasons {
                        switch reason {
                        case .becauseYouHad(let item, let share): reasons.append(["id": item.id, "title": item.title, "share": Double(share)])
                        case .popular(let rank): entry["popular_rank"] = rank
                        case .newForYou(let match): entry["new_for_you"] = Double(match)
                        }
                    }
                    entry["reasons"] = reasons
                    return entry
                }
            ])
            return
        }
        print(list.personalized ? "For this person, from their own history:" : "Not personalized (\(Self.describe(list.fallback!))): popular with everyone")
        for (i, r) in list.items.enumerated() {
            print("  \(i + 1). \(label(r.item))")
            for reason in r.reasons {
                switch reason {
                case .newForYou(let match): print("       new for you: its tags match what you had (\(Int((match * 100).rounded()))%)")
                case .popular(let rank): print("       number \(rank) among everyone's favourites")
                case .becauseYouHad: break
                }
            }
            let because = r.reasons.compactMap { reason -> String? in
                guard case .becauseYouHad(let item, let share) = reason else { return nil }
                return "\(label(item)) (\(Int((share * 100).rounded()))%)"
            }
            if !because.isEmpty { print("       because of " + because.joined(separator: ", ")) }
        }
        print("  (\(fixed(milliseconds, 2)) ms)")
    }

    static func describe(_ fallback: FallbackReason) -> String {
        switch fallback {
        case .noPersonalizationConsent: "no consent to personalization"
        case .noHistory: "nothing of theirs is in the model"
        case .unknownPerson: "nothing is stored for this person"
        case .noModel: "no model"
        case .noKnownItems: "no item the model knows"
        }
    }
}

struct SimilarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "similar", abstract: "Items most like an item (cosine similarity of learned factors).")
    @OptionGroup var serving: ServingOptions
    @Argument(help: "The item id.") var item: String
    @Option(help: "How many items.") var k = 10

    func validate() throws { try OptionChecks.listLength(k) }

    func run() throws {
        let recommender = try serving.recommender()
        print("Most like \(label(try recommender.engine.catalog.item(item) ?? Item(id: item))):")
        for (i, s) in try recommender.similar(itemID: item, k: k).enumerated() {
            print("  \(i + 1). \(label(s.item))  \(fixed(Double(s.similarity), 3))")
        }
    }
}

struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain a person's score for an item: how much each item in their history contributed.")
    @OptionGroup var serving: ServingOptions
    @Argument(help: "The person's user id.") var user: String
    @Argument(help: "The item id.") var item: String

    func run() throws {
        let recommender = try serving.recommender()
        let (score, contributions) = try recommender.explain(user: user, itemID: item)
        print("Score \(fixed(Double(score), 4)) for \(item): the sum of what each item in their history contributes")
        var t = TextTable("history item", "contribution")
        for c in contributions { t.add(label(c.item), String(format: "%+.4f", c.contribution)) }
        print(t.render())
    }
}

/// "Title [tags]" or the id when there is no title.
func label(_ item: Item) -> String {
    let name = item.title.isEmpty ? item.id : item.title
    return item.tags.isEmpty ? name : "\(name) [\(item.tags.prefix(3).joined(separator: ", "))]"
}
