import TactCore

/// iALS serves through `RecommenderModel`: the person's history is folded in on every request.
extension ALSServing: RecommenderModel {
    public func rank(
        history: [(item: Int32, value: Float)], candidates: Int, excluding: Set<Int32>, allowed: ((Int32) -> Bool)?,
        reasonsPerItem: Int, choose: ([(item: Int32, score: Float)]) -> [(item: Int32, score: Float)]
    ) -> [RankedItem] {
        // One factored system per request: the user vector, then each chosen item's reasons by two triangular solves.
        let system = PersonalSystem(serving: self, history: history)
        let chosen = choose(recommend(system.userVector, k: candidates, excluding: excluding, allowed: allowed))
        guard reasonsPerItem > 0 else { return chosen.map { RankedItem(item: $0.item, score: $0.score) } }
        let explanations = system.explain(items: chosen.map(\.item))
        return zip(chosen, explanations).map { pick, explanation in
            RankedItem(item: pick.item, score: pick.score, reasons: Self.shares(explanation.contributions, limit: reasonsPerItem))
        }
    }

    public func similarColumns(to item: Int32, k: Int) -> [(item: Int32, similarity: Float)]? {
        similarItems(to: item, k: k)
    }

    public var explainsScores: Bool { true }

    public func contributions(history: [(item: Int32, value: Float)], to item: Int32)
        -> (score: Float, contributions: [(item: Int32, contribution: Float)])?
    {
        PersonalSystem(serving: self, history: history).explain(item: item)
    }

    public var columnSimilarity: ItemSimilarity? { ItemSimilarity(factors: model.itemFactors) }

    public var patchesInService: Bool { true }

    /// Only the item vectors that differ are replaced (`replacingItemFactors`), so the index is kept.
    public func patched(by saved: StoredModel) -> (model: any RecommenderModel, changed: [Int32])? {
        guard case .als(let saved) = saved, saved.itemFactors.rows == model.itemFactors.rows,
            saved.itemFactors.factors == model.itemFactors.factors, saved.configuration == model.configuration
        else { return nil }
        let (serving, changed) = replacingItemFactors(with: saved)
        return (serving, changed)
    }

    public var stored: StoredModel { .als(model) }

    public init?(stored: StoredModel) {
        guard case .als(let model) = stored else { return nil }
        self.init(model: model)
    }

    public static var keepsPersonRows: Bool { true }

    /// The people's user vectors go, and `resolving` is solved again exactly (`ALSModel.removingUsers`).
    public static func removingPeople(
        _ removed: Set<Int>, from stored: StoredModel, resolving: [Int32],
        strengths: (Int32) -> [(user: Int, value: Float)]
    ) -> PeopleRemoval {
        guard case .als(let model) = stored else { return .needsRetrain }
        let (patched, resolved) = model.removingUsers(removed, resolving: resolving, strengths: strengths)
        return .patched(.als(patched), resolved: resolved)
    }

    /// Positive contributions as shares of the positive total, largest first (as they come), at most `limit`.
    static func shares(_ contributions: [(item: Int32, contribution: Float)], limit: Int) -> [(item: Int32, share: Float)] {
        let positive = contributions.filter { $0.contribution > 0 }
        let total = positive.reduce(Float(0)) { $0 + $1.contribution }
        guard total > 0 else { return [] }
        return positive.prefix(limit).map { (item: $0.item, share: $0.contribution / total) }
    }
}
