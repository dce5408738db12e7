/// Report-noisy-max and top-k selection: which candidates score highest, released with differential
/// privacy. Each score gets independent discrete Laplace noise of scale 2Δ/ε and the highest noisy
/// score wins; that is ε-differentially private when any one person changes each score by at most Δ
/// (Dwork and Roth, *The Algorithmic Foundations of Differential Privacy*, §3.3; the factor 2 covers
/// scores that may move in opposite directions). Top-k peels k winners one after another, each with
/// ε/k, so the whole list is ε-DP by basic composition. Only the winners are released, never the
/// noisy scores.
public enum NoisyTopK {
    /// The index of the highest score after noise; nil for no candidates.
    public static func reportNoisyMax<G: RandomNumberGenerator>(
        _ scores: [Int64], sensitivity: UInt64, epsilon: ExactRational,
        using g: inout G
    ) -> Int? {
        guard !scores.isEmpty else { return nil }
        let scale = noiseScale(sensitivity: sensitivity, epsilon: epsilon)
        var best = 0, bestValue = Int64.min, ties: UInt64 = 0
        for (i, score) in scores.enumerated() {
            let noisy = score.addingReportingOverflow(ExactSampler.discreteLaplace(scale: scale, using: &g))
            let value = noisy.overflow ? (score > 0 ? Int64.max : Int64.min) : noisy.partialValue
            if value > bestValue {
                (best, bestValue, ties) = (i, value, 1)
            } else if value == bestValue {
                // Ties (the noise is integer) are broken uniformly at random: the c-th equal replaces the winner with probability 1/c.
                ties += 1
                if ExactSampler.bernoulli(ExactRational(1, ties), using: &g) { best = i }
            }
        }
        return best
    }

    /// The k highest scores' indices, best first, peeled one by one with ε/k each (ε-DP in total).
    public static func topK<G: RandomNumberGenerator>(
        _ scores: [Int64], k: Int, sensitivity: UInt64, epsilon: ExactRational,
        using g: inout G
    ) -> [Int] {
        let k = min(k, scores.count)
        guard k > 0 else { return [] }
        let share = ExactRational(epsilon.numerator, epsilon.denominator * UInt64(k))
        var remaining = Array(scores.indices), chosen: [Int] = []
        for _ in 0..<k {
            guard let pick = reportNoisyMax(remaining.map { scores[$0] }, sensitivity: sensitivity, epsilon: share, using: &g) else { break }
            chosen.append(remaining.remove(at: pick))
        }
        return chosen
    }

    /// 2Δ/ε as an exact rational.
    static func noiseScale(sensitivity: UInt64, epsilon: ExactRational) -> ExactRational {
        precondition(epsilon.numerator > 0, "ε must be positive")
        precondition(sensitivity > 0, "the sensitivity must be positive")
        return ExactRational(2 * sensitivity * epsilon.denominator, epsilon.numerator)
    }
}
