import TactCore

/// Item-kNN serves through `RecommenderModel`: the person's history is scored against each item's neighbours.
extension ItemKNNModel: RecommenderModel {
    public func rank(
        history: [(item: Int32, value: Float)], candidates: Int, excluding: Set<Int32>, allowed: ((Int32) -> Bool)?,
        reasonsPerItem: Int, choose: ([(item: Int32, score: Float)]) -> [(item: Int32, score: Float)]
    ) -> [RankedItem] {
        let all = recommend(history: history, k: candidates, excluding: excluding, allowed: allowed)
        let byItem = Dictionary(all.map { (Int32($0.item), $0) }, uniquingKeysWith: { a, _ in a })
        return choose(all.map { (item: Int32($0.item), score: $0.score) }).map { chosen in
            let reasons = byItem[chosen.item]!.reasons.prefix(reasonsPerItem).compactMap { reason -> (item: Int32, share: Float)? in
                guard case .becauseOf(let item, let share) = reason else { return nil }
                return (item: Int32(item), share: share)
            }
            return RankedItem(item: chosen.item, score: chosen.score, reasons: reasons)
        }
    }

    public func similarColumns(to item: Int32, k: Int) -> [(item: Int32, similarity: Float)]? {
        similarItems(to: item, k: k)
    }

    public var stored: StoredModel { .knn(self) }

    public init?(stored: StoredModel) {
        guard case .knn(let model) = stored else { return nil }
        self = model
    }
}
