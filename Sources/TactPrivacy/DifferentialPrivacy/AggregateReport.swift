/// Counts released as aggregate reports with differential privacy, the way advertisers may see
/// them: each contributor's count is first clamped to a cap (bounded contribution), then every
/// metric gets discrete Laplace noise of scale cap·m/ε (the ε split evenly over the m metrics, so the
/// whole report is ε-DP by basic composition), and a noisy count below `minimumCount` is suppressed.
/// Nothing about any one contributor is released.
public enum AggregateReport {
    public struct Metric: Sendable, Equatable {
        public var name: String
        /// The noisy count, nil when it fell below the minimum (suppressed).
        public var value: Int64?
        /// The most one contributor adds to it.
        public var cap: Int
        /// The Laplace scale used (counts).
        public var scale: Double
    }

    /// A metric before noise: every contributor's count clamped to [0, cap] (a cap below 1 counts as 1),
    /// summed. Adding or removing one contributor moves it by at most the cap: its ℓ₁ sensitivity.
    public static func cappedTotal(_ counts: [Int], cap: Int) -> Int64 {
        let cap = max(1, cap)
        return counts.reduce(Int64(0)) { $0 + Int64(min(max($1, 0), cap)) }
    }

    /// `contributions` maps each metric to every contributor's count (one entry per contributor, in
    /// any order); `caps` to the most one contributor may add.
    public static func release<G: RandomNumberGenerator>(
        _ contributions: [(name: String, counts: [Int], cap: Int)], epsilon: Double,
        minimumCount: Int, using g: inout G
    ) -> [Metric] {
        precondition(epsilon > 0 && !contributions.isEmpty, "ε must be positive and there must be a metric")
        let share = epsilon / Double(contributions.count)
        return contributions.map { metric in
            let cap = max(1, metric.cap)
            let clamped = cappedTotal(metric.counts, cap: cap)
            guard let scale = ExactRational(atLeast: Double(cap) / share, numeratorBelow: ExactSampler.parameterLimit) else {
                preconditionFailure("ε = \(epsilon) needs a Laplace scale outside the exact range")
            }
            let noisy = clamped + ExactSampler.discreteLaplace(scale: scale, using: &g)
            return Metric(name: metric.name, value: noisy >= Int64(minimumCount) ? noisy : nil, cap: cap, scale: scale.doubleValue)
        }
    }
}
