import TactCore

/// A blend serves through `RecommenderModel` like its parts: reasons are the history items' scaled EASE
/// weights plus their scaled iALS contributions (they add up to the score), similar items are EASE's,
/// and erasure applies both parts' exact removal.
extension BlendServing: RecommenderModel {
    public func rank(
        history: [(item: Int32, value: Float)], candidates: Int, excluding: Set<Int32>, allowed: ((Int32) -> Bool)?,
        reasonsPerItem: Int, choose: ([(item: Int32, score: Float)]) -> [(item: Int32, score: Float)]
    ) -> [RankedItem] {
        guard candidates > 0, itemCount > 0 else { return [] }
        let person = person(history)
        var top = TopK(k: candidates)
        for j in 0..<Int32(itemCount) {
            let score = person.score(Int(j))
            if score < top.threshold || person.had.contains(j) || excluding.contains(j) { continue }
            if let allowed, !allowed(j) { continue }
            top.offer(score, j)
        }
        return choose(top.sorted().map { (item: $0.index, score: $0.score) }).map { pick in
            let reasons = reasonsPerItem > 0 ? ALSServing.shares(contributions(person, to: pick.item), limit: reasonsPerItem) : []
            return RankedItem(item: pick.item, score: pick.score, reasons: reasons)
        }
    }

    public func similarColumns(to item: Int32, k: Int) -> [(item: Int32, similarity: Float)]? {
        model.ease.similarItems(to: item, k: k)
    }

    public var explainsScores: Bool { true }

    public func contributions(history: [(item: Int32, value: Float)], to item: Int32)
        -> (score: Float, contributions: [(item: Int32, contribution: Float)])?
    {
        guard item >= 0, Int(item) < itemCount else { return nil }
        let parts = contributions(person(history), to: item)
        return (parts.reduce(0) { $0 + $1.contribution }, parts)
    }

    public var columnSimilarity: ItemSimilarity? { als.columnSimilarity }

    public var patchesInService: Bool { true }

    /// The saved blend after an erasure replaces this one whole; `changed` lists the columns whose EASE
    /// weights or iALS factors differ.
    public func patched(by saved: StoredModel) -> (model: any RecommenderModel, changed: [Int32])? {
        guard case .blend(let saved) = saved, saved.ease.itemCount == itemCount, saved.als.itemFactors.rows == model.als.itemFactors.rows,
            saved.configuration == model.configuration
        else { return nil }
        let n = itemCount, y = model.als.itemFactors, z = saved.als.itemFactors
        var changed: [Int32] = []
        for j in 0..<n {
            let factorsDiffer = (0..<y.factors).contains { y.storage[j * y.stride + $0] != z.storage[j * z.stride + $0] }
            if factorsDiffer || (0..<n).contains(where: { saved.ease.weights[$0 * n + j] != model.ease.weights[$0 * n + j] }) {
                changed.append(Int32(j))
            }
        }
        return (BlendServing(model: saved), changed)
    }

    public var stored: StoredModel { .blend(model) }

    public init?(stored: StoredModel) {
        guard case .blend(let model) = stored else { return nil }
        self.init(model: model)
    }

    public static var keepsPersonRows: Bool { true }

    /// Both parts, each exactly: EASE's Gram matrix counted again over `resolving`, iALS's user rows dropped
    /// and `resolving` solved again.
    public static func removingPeople(
        _ removed: Set<Int>, from stored: StoredModel, resolving: [Int32],
        strengths: (Int32) -> [(user: Int, value: Float)]
    ) -> PeopleRemoval {
        guard case .blend(let blend) = stored,
            case .patched(.ease(let ease), let easeColumns) = EASEModel.removingPeople(
                removed, from: .ease(blend.ease), resolving: resolving, strengths: strengths),
            case .patched(.als(let als), let alsColumns) = ALSServing.removingPeople(removed, from: .als(blend.als), resolving: resolving, strengths: strengths)
        else { return .needsRetrain }
        return .patched(.blend(BlendModel(ease: ease, als: als, easeWeight: blend.easeWeight)), resolved: Array(Set(easeColumns).union(alsColumns)).sorted())
    }
}
