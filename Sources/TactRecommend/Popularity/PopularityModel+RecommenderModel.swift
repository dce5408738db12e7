import TactCore

/// Popularity serves through `RecommenderModel`: the same list for everyone, less what the person already had.
extension PopularityModel: RecommenderModel {
    public func rank(
        history: [(item: Int32, value: Float)], candidates: Int, excluding: Set<Int32>, allowed: ((Int32) -> Bool)?,
        reasonsPerItem: Int, choose: ([(item: Int32, score: Float)]) -> [(item: Int32, score: Float)]
    ) -> [RankedItem] {
        let recs = recommend(k: candidates, excluding: Set(excluding.map(Int.init)), allowed: { allowed?(Int32($0)) ?? true })
        return choose(recs.map { (item: Int32($0.item), score: $0.score) }).map { RankedItem(item: $0.item, score: $0.score) }
    }

    public var popularityScores: [Float]? { scores }

    public var stored: StoredModel { .popularity(self) }

    public init?(stored: StoredModel) {
        guard case .popularity(let model) = stored else { return nil }
        self = model
    }
}
