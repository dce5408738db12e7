import Foundation

/// Recommends what is popular with everyone, optionally favouring recent events (exponential time decay).
/// The baseline every other model must beat, and the fallback for people with no history.
public struct PopularityModel: Sendable {
    /// Score per item index.
    public let scores: [Float]
    /// Item indices, most popular first.
    public let ranking: [Int]

    /// Builds the model from events `(item index, weight, timestamp)`.
    /// With `halfLifeDays`, an event loses half its weight every half-life before `now`.
    public init(
        itemCount: Int, halfLifeDays: Double? = nil, now: Int64,
        events: (_ add: (_ item: Int, _ weight: Float, _ timestamp: Int64) -> Void) throws -> Void
    ) rethrows {
        var scores = [Float](repeating: 0, count: itemCount)
        let decay: Double? = halfLifeDays.map { log(2) / ($0 * 86_400) }
        try events { item, weight, timestamp in
            guard item >= 0, item < itemCount, weight > 0 else { return }
            if let decay {
                let age = Double(max(0, now - timestamp))
                scores[item] += weight * Float(exp(-decay * age))
            } else {
                scores[item] += weight
            }
        }
        self.scores = scores
        self.ranking = scores.indices.sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
    }

    /// The `k` most popular items not in `excluding` that pass `allowed`, each with a popularity reason.
    public func recommend(k: Int, excluding: Set<Int> = [], allowed: (Int) -> Bool = { _ in true }) -> [Recommendation] {
        var out: [Recommendation] = []
        out.reserveCapacity(k)
        for (rank, item) in ranking.enumerated() {
            if out.count >= k { break }
            guard scores[item] > 0, !excluding.contains(item), allowed(item) else { continue }
            out.append(Recommendation(item: item, score: scores[item], reasons: [.popular(rank: rank + 1)]))
        }
        return out
    }
}
