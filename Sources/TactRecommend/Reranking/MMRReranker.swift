/// Maximal marginal relevance (Carbonell and Goldstein, 1998) with group caps and a novelty discount:
/// the greedy re-ranking that picks, one at a time, the candidate with the best
/// λ·relevance − (1 − λ)·max similarity to the chosen ones − novelty·popularity.
/// Relevance is the candidates' scores scaled to 0...1, so λ means the same for every model.
public enum MMRReranker {
    /// `candidates` best first; returns up to `k` of them (fewer when caps leave too few), with their
    /// original scores. `similarity` is in [-1, 1] (cosine) or [0, 1]; `popularity` in 0...1.
    public static func rerank(
        _ candidates: [(item: Int32, score: Float)], k: Int, options: RerankOptions,
        similarity: (Int32, Int32) -> Float, groups: (Int32) -> [String],
        popularity: (Int32) -> Float
    ) -> [(item: Int32, score: Float)] {
        guard k > 0, !candidates.isEmpty else { return [] }
        if options.lambda >= 1, options.maxPerGroup == nil, options.novelty == 0 { return Array(candidates.prefix(k)) }
        let scores = candidates.map(\.score)
        let low = scores.min()!, high = scores.max()!
        let span = high - low > 1e-12 ? high - low : 1
        let relevance = scores.map { ($0 - low) / span }
        let lambda = min(max(options.lambda, 0), 1)
        let discount = candidates.map { options.novelty * popularity($0.item) }
        // The highest similarity of each candidate to the chosen items (used once one is chosen).
        var maxSimilarity = [Float](repeating: -1, count: candidates.count)
        var taken = [Bool](repeating: false, count: candidates.count)
        var perGroup: [String: Int] = [:]
        var chosen: [(item: Int32, score: Float)] = []
        chosen.reserveCapacity(k)
        while chosen.count < k {
            var best = -1
            var bestValue = -Float.infinity
            for c in candidates.indices where !taken[c] {
                if let cap = options.maxPerGroup, groups(candidates[c].item).contains(where: { perGroup[$0, default: 0] >= cap }) { continue }
                let redundancy = lambda < 1 && !chosen.isEmpty ? (1 - lambda) * maxSimilarity[c] : 0
                let value = lambda * relevance[c] - redundancy - discount[c]
                if value > bestValue { bestValue = value; best = c }
            }
            guard best >= 0 else { break }
            taken[best] = true
            chosen.append(candidates[best])
            for g in groups(candidates[best].item) { perGroup[g, default: 0] += 1 }
            if lambda < 1 {
                for c in candidates.indices where !taken[c] {
                    maxSimilarity[c] = max(maxSimilarity[c], similarity(candidates[c].item, candidates[best].item))
                }
            }
        }
        return chosen
    }
}
