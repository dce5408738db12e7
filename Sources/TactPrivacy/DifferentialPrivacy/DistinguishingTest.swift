import Foundation

/// The statistical half of an empirical differential-privacy audit: given many outputs of a release
/// run on a dataset *with* one person and many run *without* them, it tries to tell the two apart and
/// turns its success into a lower bound on ε that holds with the stated confidence. A lower bound
/// above the ε a release claims proves the claim false (up to the confidence); one below it proves
/// nothing, it only fails to refute.
///
/// The test (after Jagielski, Ullman and Oprea 2020, and Nasr et al. 2021): each side's runs are split
/// in halves. On the first halves it fits a linear score (the difference of the two sides' means,
/// each coordinate divided by its variance) and picks the threshold and orientation with the best
/// bound. On the second halves, which played no part in that choice, it counts false positives and
/// false negatives and bounds each rate from above with Clopper–Pearson at confidence 1 − α/2. For
/// an (ε, δ)-DP release every test has FPR·e^ε + FNR ≥ 1 − δ (and the same with the rates swapped),
/// so ε ≥ log((1 − δ − FNR) / FPR) for the rates' upper bounds.
public enum DistinguishingTest {
    public struct Result: Sendable, Equatable {
        /// The lower bound on ε (never negative): holds with probability `confidence`.
        public var epsilonLowerBound: Double
        /// The same bound from the held-out rates themselves, without the confidence margin: what the test achieved.
        public var epsilonEstimate: Double
        public var confidence: Double
        /// Held-out runs per side, and the errors the chosen test made on them.
        public var heldOutRuns: Int
        public var falsePositives: Int
        public var falseNegatives: Int
    }

    /// Bounds ε from below. `with` and `without` are the release's outputs (one vector per run, all the
    /// same length) on the two neighbouring datasets; each side needs at least 4 runs.
    public static func lowerBound(with: [[Double]], without: [[Double]], delta: Double, confidence: Double = 0.95) -> Result {
        precondition(with.count >= 4 && without.count >= 4, "an audit needs at least 4 runs on each side")
        precondition(confidence > 0 && confidence < 1, "the confidence must be in (0, 1)")
        let dimension = with[0].count
        precondition((with + without).allSatisfy { $0.count == dimension }, "every run must release as many values")
        let fitWith = Array(with[..<(with.count / 2)]), testWith = Array(with[(with.count / 2)...])
        let fitWithout = Array(without[..<(without.count / 2)]), testWithout = Array(without[(without.count / 2)...])
        let weights = direction(fitWith, fitWithout)
        let score = { (x: [Double]) -> Double in zip(weights, x).reduce(0) { $0 + $1.0 * $1.1 } }
        let alpha = 1 - confidence
        // Choose the threshold and orientation on the fitting halves.
        let fitScoresWith = fitWith.map(score), fitScoresWithout = fitWithout.map(score)
        var best = (bound: -Double.infinity, threshold: 0.0, swapped: false)
        for threshold in candidates(fitScoresWith + fitScoresWithout) {
            let fp = fitScoresWithout.filter { $0 > threshold }.count, fn = fitScoresWith.filter { $0 <= threshold }.count
            for swapped in [false, true] {
                let b = bound(
                    fp: fp, fn: fn, runsWith: fitScoresWith.count, runsWithout: fitScoresWithout.count,
                    swapped: swapped, delta: delta, alpha: alpha)
                if b > best.bound { best = (b, threshold, swapped) }
            }
        }
        // Count its errors on the held-out halves.
        let heldWith = testWith.map(score), heldWithout = testWithout.map(score)
        let fp = heldWithout.filter { $0 > best.threshold }.count, fn = heldWith.filter { $0 <= best.threshold }.count
        let lower = bound(
            fp: fp, fn: fn, runsWith: heldWith.count, runsWithout: heldWithout.count,
            swapped: best.swapped, delta: delta, alpha: alpha)
        let estimate = pointBound(
            fp: fp, fn: fn, runsWith: heldWith.count, runsWithout: heldWithout.count,
            swapped: best.swapped, delta: delta)
        return Result(
            epsilonLowerBound: max(0, lower), epsilonEstimate: max(0, estimate), confidence: confidence,
            heldOutRuns: min(heldWith.count, heldWithout.count), falsePositives: fp, falseNegatives: fn)
    }

    /// The linear score's weights: the difference of the means over the pooled variance, per coordinate.
    static func direction(_ a: [[Double]], _ b: [[Double]]) -> [Double] {
        let d = a[0].count
        var weights = [Double](repeating: 0, count: d)
        for j in 0..<d {
            let ma = a.reduce(0) { $0 + $1[j] } / Double(a.count), mb = b.reduce(0) { $0 + $1[j] } / Double(b.count)
            let va = a.reduce(0) { $0 + ($1[j] - ma) * ($1[j] - ma) }, vb = b.reduce(0) { $0 + ($1[j] - mb) * ($1[j] - mb) }
            let pooled = (va + vb) / Double(max(1, a.count + b.count - 2))
            weights[j] = (ma - mb) / max(pooled, 1e-12)
        }
        return weights
    }

    /// Up to 256 thresholds spread over the observed scores.
    static func candidates(_ scores: [Double]) -> [Double] {
        let sorted = scores.sorted()
        let step = max(1, sorted.count / 256)
        return stride(from: 0, to: sorted.count, by: step).map { sorted[$0] }
    }

    /// The ε bound of one test with Clopper–Pearson upper bounds on both rates (α/2 each).
    /// Not swapped: "with" is called when the score is above the threshold, so ε ≥ log((1 − δ − FNR)/FPR);
    /// swapped: the same test read the other way round, ε ≥ log((1 − δ − FPR)/FNR).
    static func bound(fp: Int, fn: Int, runsWith: Int, runsWithout: Int, swapped: Bool, delta: Double, alpha: Double) -> Double {
        let fpr = ClopperPearson.upper(successes: fp, trials: runsWithout, alpha: alpha / 2)
        let fnr = ClopperPearson.upper(successes: fn, trials: runsWith, alpha: alpha / 2)
        return logRatio(swapped ? fpr : fnr, swapped ? fnr : fpr, delta: delta)
    }

    static func pointBound(fp: Int, fn: Int, runsWith: Int, runsWithout: Int, swapped: Bool, delta: Double) -> Double {
        // Half a run keeps a perfect test's estimate finite.
        let fpr = max(Double(fp), 0.5) / Double(runsWithout), fnr = max(Double(fn), 0.5) / Double(runsWith)
        return logRatio(swapped ? fpr : fnr, swapped ? fnr : fpr, delta: delta)
    }

    /// log((1 − δ − missed) / falseAlarms), or −∞ where that is not positive.
    static func logRatio(_ missed: Double, _ falseAlarms: Double, delta: Double) -> Double {
        let numerator = 1 - delta - missed
        guard numerator > 0, falseAlarms > 0 else { return -.infinity }
        return log(numerator / falseAlarms)
    }
}
