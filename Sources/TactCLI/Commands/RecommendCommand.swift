import ArgumentParser
import Foundation
import TactCore
import TactEngine
import TactRecommend

/// Options shared by the commands that serve a trained model.
struct ServingOptions: ParsableArguments {
    @OptionGroup var global: GlobalOptions
    @Option(help: "The trained model to serve: als, knn, popular, dp-als or dp-popular (from 'tact train --algorithm').") var algorithm: ModelOptions.Algorithm = .als
    @Option(help: ArgumentHelp("The model file (default: DIR/models/ALGORITHM.tactmodel).", valueName: "FILE")) var model: String?

    var path: String { model ?? ModelDirectory(directory: global.directory).modelPath(algorithm: algorithm.rawValue) }

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

    func run() throws {
        let (recommender, popularity) = try serving.load()
        let filter = RecommendationFilter(includeTags: Set(tags), excludeTags: Set(notTags), excludeItems: Set(excluded))
        let started = Date()
        var personalized = true
        var recs = try recommender.recommend(user: user, k: k, filter: filter, rerank: diversity.options)
        if let found = recs, diversity.exploration > 0, let history = try recommender.history(user: user) {
            let catalog = try recommender.engine.store.read { try $0.items() }.map(\.item)
            recs = Exploration.blend(found, k: k, history: history, recommender: recommender, catalog: catalog, filter: filter, weight: diversity.exploration)
        }
        if recs == nil {
            personalized = false
            recs = fallback(recommender, popularity: popularity, filter: filter)
        }
        let milliseconds = Date().timeIntervalSince(started) * 1000
        if json {
            try printJSONLine([
                "personalized": personalized, "milliseconds": milliseconds,
                "items": recs!.map { r in
                    ["id": r.item.id, "title": r.item.title, "score": Double(r.score), "new_for_you": r.newForYou.map(Double.init) as Any,
                     "reasons": r.reasons.map { ["id": $0.item.id, "title": $0.item.title, "share": Double($0.share)] }] as [String: Any]
                },
            ])
            return
        }
        print(personalized ? "For this person, from their own history:" : "Not personalized (no consent to personalization, or no history): popular with everyone")
        for (i, r) in recs!.enumerated() {
            print("  \(i + 1). \(label(r.item))")
            if let match = r.newForYou {
                print("       new for you: its tags match what you had (\(Int((match * 100).rounded()))%)")
            } else if !r.reasons.isEmpty {
                print("       because of " + r.reasons.map { "\(label($0.item)) (\(Int(($0.share * 100).rounded()))%)" }.joined(separator: ", "))
            }
        }
        print("  (\(fixed(milliseconds, 2)) ms)")
    }

    /// The most popular items among those the model knows, from the popularity it may show.
    private func fallback(_ recommender: ModelRecommender, popularity: TrainedPopularity, filter: RecommendationFilter) -> [PersonalRecommendation] {
        let allowed = Set(recommender.items.map(\.id))
        var out: [PersonalRecommendation] = []
        for index in popularity.model.ranking {
            if out.count >= k { break }
            let item = popularity.items[index]
            guard popularity.model.scores[index] > 0, allowed.contains(item.id), filter.allows(item) else { continue }
            out.append(PersonalRecommendation(item: item, score: popularity.model.scores[index], reasons: []))
        }
        return out
    }
}

struct SimilarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "similar", abstract: "Items most like an item (cosine similarity of learned factors).")
    @OptionGroup var serving: ServingOptions
    @Argument(help: "The item id.") var item: String
    @Option(help: "How many items.") var k = 10

    func run() throws {
        let recommender = try serving.recommender()
        print("Most like \(label(try recommender.engine.store.read { try $0.item(for: item) } ?? Item(id: item))):")
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
