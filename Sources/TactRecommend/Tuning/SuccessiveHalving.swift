import Foundation

/// Successive halving (Jamieson & Talwalkar 2016; Li et al.'s Hyperband builds on it): every candidate is
/// scored at the lowest fidelity, the best 1/`reduction` go up a rung and are scored again at a higher
/// fidelity, and so on until the last rung or one candidate is left. Fidelity is whatever `evaluate`
/// makes of the rung (iALS: more iterations; a model with no cheaper form scores the same on every rung).
/// A deadline stops the search between evaluations; the winner is then the best candidate of the highest
/// rung that finished at least one evaluation.
public struct SuccessiveHalving<Candidate> {
    /// One evaluation: which candidate (its index in the input), on which rung, its score (higher is
    /// better) and how long it took.
    public struct Trial {
        public var candidate: Int
        public var rung: Int
        public var score: Double
        public var seconds: Double
    }

    /// The outcome: every evaluation in order, the winner's index, and whether the deadline cut it short.
    public struct Outcome {
        public var trials: [Trial]
        public var winner: Int?
        public var stoppedByDeadline: Bool
    }

    /// Rungs 0 ..< `rungs`.
    public var rungs: Int
    /// How many go up a rung: the best ⌈n / reduction⌉.
    public var reduction: Int

    public init(rungs: Int, reduction: Int = 3) {
        precondition(rungs >= 1 && reduction >= 2)
        self.rungs = rungs
        self.reduction = reduction
    }

    /// Scores `candidates` (`evaluate(candidate, rung)`) until the last rung, one candidate left, or `deadline`.
    /// Ties keep the earlier candidate, so the outcome depends only on the scores.
    public func run(
        _ candidates: [Candidate], deadline: Date? = nil, now: () -> Date = Date.init,
        evaluate: (Candidate, Int) throws -> Double
    ) rethrows -> Outcome {
        var trials: [Trial] = []
        var alive = Array(candidates.indices)
        var best: (rung: Int, candidate: Int, score: Double)?
        for rung in 0..<rungs where !alive.isEmpty {
            var scored: [(candidate: Int, score: Double)] = []
            for c in alive {
                if let deadline, now() >= deadline, best != nil {
                    return Outcome(trials: trials, winner: best?.candidate, stoppedByDeadline: true)
                }
                let started = now()
                let score = try evaluate(candidates[c], rung)
                trials.append(Trial(candidate: c, rung: rung, score: score, seconds: now().timeIntervalSince(started)))
                scored.append((c, score))
                if best == nil || rung > best!.rung || (rung == best!.rung && score > best!.score) { best = (rung, c, score) }
            }
            if alive.count == 1 { break }
            let order = scored.enumerated().sorted { a, b in
                a.element.score != b.element.score ? a.element.score > b.element.score : a.offset < b.offset
            }
            alive = order.prefix((alive.count + reduction - 1) / reduction).map(\.element.candidate)
        }
        return Outcome(trials: trials, winner: best?.candidate, stoppedByDeadline: false)
    }
}

/// Draws settings on a log scale, for parameters whose useful values span orders of magnitude.
public enum LogScale {
    /// A value log-uniform in `range` (both ends positive).
    public static func draw(_ range: ClosedRange<Double>, using generator: inout some RandomNumberGenerator) -> Double {
        precondition(range.lowerBound > 0)
        let low = log(range.lowerBound), high = log(range.upperBound)
        return exp(low + (high - low) * Double.random(in: 0...1, using: &generator))
    }

    /// An integer log-uniform in `range`, rounded to the nearest multiple of `step`.
    public static func draw(_ range: ClosedRange<Int>, step: Int = 1, using generator: inout some RandomNumberGenerator) -> Int {
        let value = draw(Double(range.lowerBound)...Double(range.upperBound), using: &generator)
        return min(range.upperBound, max(range.lowerBound, Int((value / Double(step)).rounded()) * step))
    }
}
