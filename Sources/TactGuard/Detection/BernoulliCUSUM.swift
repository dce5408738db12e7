import Foundation

/// Page's CUSUM (1954) for a yes/no stream: the sum, never below 0, of each observation's log-likelihood
/// ratio of "yes comes at rate p₁" against "at rate p₀". Independent observations at p₀ cross a threshold h
/// about once in e^h; at p₁ it is crossed after about h / KL(p₁‖p₀) of them. It also counts the run it is
/// judging: the observations, and the yeses among them, since it last stood at 0, and when that run began.
/// (`PrincipalHistory` keeps the same statistic field by field, because it is stored.)
struct BernoulliCUSUM: Sendable, Equatable {
    var value = 0.0
    var observations = 0, hits = 0
    var start: Int64 = 0

    /// Adds one observation; returns the sum.
    @discardableResult
    mutating func observe(_ hit: Bool, at: Int64, p0: Double, p1: Double) -> Double {
        let next = max(0, value + (hit ? log(p1 / p0) : log((1 - p1) / (1 - p0))))
        if value == 0 {
            observations = 0
            hits = 0
            start = at
        }
        value = next
        guard next > 0 else { return 0 }
        observations += 1
        if hit { hits += 1 }
        return value
    }

    /// Back to 0, after an alert.
    mutating func reset() { value = 0 }
}
