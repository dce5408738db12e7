import TactCore

/// EASE serves through `RecommenderModel`: a person's scores are their history's rows of B summed (each
/// history item once), the reasons are those rows' entries, and erasure solves B again from XᵀX without
/// the erased people, exactly.
extension EASEModel: RecommenderModel {
    public func rank(
        history: [(item: Int32, value: Float)], candidates: Int, excluding: Set<Int32>, allowed: ((Int32) -> Bool)?,
        reasonsPerItem: Int, choose: ([(item: Int32, score: Float)]) -> [(item: Int32, score: Float)]
    ) -> [RankedItem] {
        let had = Set(history.filter { $0.value > 0 }.map(\.item))
        let all = recommend(history: Array(had), k: candidates, excluding: excluding, allowed: allowed)
        return choose(all.map { (item: Int32($0.item), score: $0.score) }).map { chosen in
            let reasons =
                reasonsPerItem > 0
                ? self.reasons(for: chosen.item, history: had).prefix(reasonsPerItem).compactMap { reason -> (item: Int32, share: Float)? in
                    guard case .becauseOf(let item, let share) = reason else { return nil }
                    return (item: Int32(item), share: share)
                } : []
            return RankedItem(item: chosen.item, score: chosen.score, reasons: reasons)
        }
    }

    public func similarColumns(to item: Int32, k: Int) -> [(item: Int32, similarity: Float)]? {
        similarItems(to: item, k: k)
    }

    public var explainsScores: Bool { true }

    /// Each history item's weight toward `item`: they sum to the score.
    public func contributions(history: [(item: Int32, value: Float)], to item: Int32)
        -> (score: Float, contributions: [(item: Int32, contribution: Float)])?
    {
        guard item >= 0, Int(item) < itemCount else { return nil }
        let had = Set(history.filter { $0.value > 0 && $0.item >= 0 && Int($0.item) < itemCount }.map(\.item))
        let parts = had.map { (item: $0, contribution: weights[Int($0) * itemCount + Int(item)]) }
            .sorted { $0.contribution != $1.contribution ? $0.contribution > $1.contribution : $0.item < $1.item }
        return (parts.reduce(0) { $0 + $1.contribution }, parts)
    }

    public var patchesInService: Bool { true }

    /// The saved model after an erasure replaces this one whole (B is dense: any entry may have moved);
    /// `changed` lists the columns whose weights differ.
    public func patched(by saved: StoredModel) -> (model: any RecommenderModel, changed: [Int32])? {
        guard case .ease(let saved) = saved, saved.itemCount == itemCount else { return nil }
        let n = itemCount
        var changed: [Int32] = []
        for j in 0..<n where (0..<n).contains(where: { saved.weights[$0 * n + j] != weights[$0 * n + j] }) { changed.append(Int32(j)) }
        return (saved, changed)
    }

    public var stored: StoredModel { .ease(self) }

    public init?(stored: StoredModel) {
        guard case .ease(let model) = stored else { return nil }
        self = model
    }

    /// The model file keeps the people's pseudonyms, so an erasure can tell whose co-occurrences leave XᵀX.
    public static var keepsPersonRows: Bool { true }

    /// XᵀX again over the columns `resolving` (every item an erased person touched, so every pair whose
    /// count they were part of), from the people's current strengths; B solved again. Pairs outside those
    /// columns are untouched by the people who left, so they keep their counts.
    public static func removingPeople(
        _ removed: Set<Int>, from stored: StoredModel, resolving: [Int32],
        strengths: (Int32) -> [(user: Int, value: Float)]
    ) -> PeopleRemoval {
        guard case .ease(let model) = stored else { return .needsRetrain }
        let n = model.itemCount
        let columns = Array(Set(resolving.filter { $0 >= 0 && Int($0) < n })).sorted()
        var holders: [Set<Int>] = []
        for c in columns { holders.append(Set(strengths(c).filter { $0.value > 0 && !removed.contains($0.user) }.map(\.user))) }
        var gram = model.gram
        for (a, i) in columns.enumerated() {
            for (b, j) in columns.enumerated() where b >= a {
                let together = Float(a == b ? holders[a].count : holders[a].intersection(holders[b]).count)
                gram[Int(i) * n + Int(j)] = together
                gram[Int(j) * n + Int(i)] = together
            }
        }
        guard
            let patched = try? EASEModel(
                configuration: model.configuration, itemCount: n, gram: gram,
                weights: EASEModel.solve(gram: gram, n: n, configuration: model.configuration))
        else {
            return .needsRetrain
        }
        return .patched(.ease(patched), resolved: columns)
    }
}
