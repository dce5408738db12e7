import TactCore

/// How new items, with no interactions yet and so no place in a trained model, reach people: by how
/// well their tags match the tags of what the person (or session) had, for a configurable share of
/// the list (the exploration weight). Each explored item says so ("new for you").
public enum Exploration {
    /// How many of `k` places exploration takes at `weight` (0...1): none at 0, at least one above it.
    public static func slots(k: Int, weight: Float) -> Int {
        guard weight > 0, k > 0 else { return 0 }
        return max(1, min(k, Int((Float(k) * weight).rounded())))
    }

    /// The tag profile of a history: each tag's share of the history's strength.
    public static func profile(_ history: [(item: Item, strength: Float)]) -> [String: Float] {
        var weights: [String: Float] = [:]
        for (item, strength) in history where strength > 0 {
            for tag in item.tags { weights[tag, default: 0] += strength }
        }
        let total = weights.values.reduce(0, +)
        return total > 0 ? weights.mapValues { $0 / total } : [:]
    }

    /// Up to `count` of `candidates`, best match first: the cosine between the profile and the item's
    /// tags (each weighted 1). Items without a shared tag are not chosen.
    public static func pick(_ candidates: [Item], profile: [String: Float], count: Int) -> [(item: Item, affinity: Float)] {
        guard count > 0, !profile.isEmpty else { return [] }
        let profileNorm = profile.values.reduce(0) { $0 + $1 * $1 }.squareRoot()
        var scored: [(item: Item, affinity: Float)] = []
        for item in candidates where !item.tags.isEmpty {
            let dot = Set(item.tags).reduce(Float(0)) { $0 + (profile[$1] ?? 0) }
            guard dot > 0 else { continue }
            scored.append((item, dot / (profileNorm * Float(Set(item.tags).count).squareRoot())))
        }
        scored.sort { $0.affinity != $1.affinity ? $0.affinity > $1.affinity : $0.item.id < $1.item.id }
        return Array(scored.prefix(count))
    }

    /// Where `n` explored items go in a list of `k`: spread evenly, never first (the best match for the
    /// person leads), e.g. k = 10, n = 2 → [2, 7].
    public static func positions(k: Int, n: Int) -> [Int] {
        guard n > 0, k > 0 else { return [] }
        return (0..<n).map { i in min(k - 1, max(1, Int((Double(i) + 0.5) * Double(k) / Double(n)))) }
    }

    /// `recommendations` with new items (from `catalog`: items the model has no column for, that
    /// `filter` allows and the list lacks) in `slots(k:weight:)` of the `k` places, best match first.
    public static func blend(
        _ recommendations: [PersonalRecommendation], k: Int, history: [(item: Int32, value: Float)],
        recommender: ModelRecommender, catalog: [Item], filter: RecommendationFilter, weight: Float
    ) -> [PersonalRecommendation] {
        let count = slots(k: k, weight: weight)
        guard count > 0 else { return recommendations }
        let listed = Set(recommendations.map(\.item.id))
        let fresh = catalog.filter { recommender.column(of: $0.id) == nil && filter.allows($0) && !listed.contains($0.id) }
        let picks = pick(fresh, profile: profile(history.map { (recommender.items[Int($0.item)], $0.value) }), count: count)
        guard !picks.isEmpty else { return recommendations }
        var out = Array(recommendations.prefix(k - picks.count))
        for (position, chosen) in zip(positions(k: k, n: picks.count), picks) {
            out.insert(PersonalRecommendation(item: chosen.item, score: 0, reasons: [], newForYou: chosen.affinity), at: min(position, out.count))
        }
        return out
    }
}
