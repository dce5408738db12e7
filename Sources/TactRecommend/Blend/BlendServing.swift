import TactCore

/// A blend ready to serve: EASE's weights and iALS's factored fold-in side by side (`BlendModel` says how
/// the scores combine). Ranking scores every item with both models, so it costs one EASE pass and one
/// exact iALS pass over the catalog: blends are for catalogs EASE can hold.
public struct BlendServing: Sendable {
    public let model: BlendModel
    public let als: ALSServing

    public init(model: BlendModel) {
        self.model = model
        // Every item is scored anyway; the approximate index would only add work.
        als = ALSServing(model: model.als, indexThreshold: .max)
    }

    var itemCount: Int { model.ease.itemCount }

    /// One person's view of the blend: the two models' scores for every item and the weights that turn
    /// them into the blended score.
    struct Person {
        let system: PersonalSystem
        let had: Set<Int32>
        let easeScores: [Float]
        let alsScores: [Float]
        /// w / σₑ and (1 − w) / σₐ.
        let easeScale: Float
        let alsScale: Float

        func score(_ item: Int) -> Float { easeScale * easeScores[item] + alsScale * alsScores[item] }
    }

    func person(_ history: [(item: Int32, value: Float)]) -> Person {
        let n = itemCount
        let inModel = history.filter { $0.item >= 0 && Int($0.item) < n }
        let had = Set(inModel.filter { $0.value > 0 }.map(\.item))
        let system = PersonalSystem(serving: als, history: inModel)
        let easeScores = model.ease.scores(history: Array(had))
        let alsScores = als.scores(system.userVector)
        let w = model.easeWeight
        return Person(
            system: system, had: had, easeScores: easeScores, alsScores: alsScores,
            easeScale: w / Self.spread(easeScores, leaving: had), alsScale: (1 - w) / Self.spread(alsScores, leaving: had))
    }

    /// The standard deviation of `scores` over the items not in `had` (1 when they do not vary).
    static func spread(_ scores: [Float], leaving had: Set<Int32>) -> Float {
        var count = 0.0, sum = 0.0, squares = 0.0
        for (i, s) in scores.enumerated() where !had.contains(Int32(i)) {
            count += 1
            sum += Double(s)
            squares += Double(s) * Double(s)
        }
        guard count > 1 else { return 1 }
        let variance = max(0, squares / count - (sum / count) * (sum / count))
        return variance > 1e-20 ? Float(variance.squareRoot()) : 1
    }

    /// Each history item's part of `item`'s blended score for `person`: EASE's weight and iALS's
    /// contribution, each scaled; they sum to the blended score.
    func contributions(_ person: Person, to item: Int32) -> [(item: Int32, contribution: Float)] {
        var parts: [Int32: Float] = [:]
        for h in person.had { parts[h, default: 0] += person.easeScale * model.ease.weights[Int(h) * itemCount + Int(item)] }
        if let explained = person.system.explain(items: [item]).first {
            for c in explained.contributions { parts[c.item, default: 0] += person.alsScale * c.contribution }
        }
        return parts.map { (item: $0.key, contribution: $0.value) }
            .sorted { $0.contribution != $1.contribution ? $0.contribution > $1.contribution : $0.item < $1.item }
    }
}
