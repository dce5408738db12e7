import ArgumentParser
import Foundation
import TactCore
import TactEngine
import TactRecommend

struct TuneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tune",
        abstract: "Search ALS settings (factors, regularization, alpha) for the best NDCG on a validation split.",
        discussion: """
            --search grid tries every combination of the three lists; --search random draws --trials \
            settings (factors from the list, regularization and alpha log-uniformly between the smallest \
            and largest listed). Each is trained and scored like 'tact evaluate'; the best by NDCG@k is \
            printed as the flags to pass to 'tact train'. Iterations, solver and the other flags are held fixed.
            """)

    enum Search: String, ExpressibleByArgument { case grid, random }

    @OptionGroup var global: GlobalOptions
    @OptionGroup var model: ModelOptions
    @Option(help: ArgumentHelp("Training interactions (default: a split of the data directory).", valueName: "FILE")) var train: String?
    @Option(help: ArgumentHelp("Validation interactions.", valueName: "FILE")) var test: String?
    @Option(help: "Fraction of each person's items held out for validation.") var testFraction = 0.2
    @Option(help: "grid or random.") var search: Search = .random
    @Option(help: "Settings drawn by a random search.") var trials = 10
    @Option(help: ArgumentHelp("Factor counts to try.", valueName: "LIST")) var factorsList = "16,32,64"
    @Option(help: ArgumentHelp("Regularizations to try (grid) or the range to draw from (random).", valueName: "LIST")) var regularizationList =
        "0.001,0.01,0.1,1"
    @Option(help: ArgumentHelp("Alphas to try (grid) or the range to draw from (random).", valueName: "LIST")) var alphaList = "0.5,2,10,40"
    @Option(help: "Length of the ranked lists scored.") var k = 10
    @Flag(help: "Print the result as one JSON line.") var json = false

    func validate() throws {
        guard (train == nil) == (test == nil) else { throw ValidationError("give both --train and --test, or neither") }
        try OptionChecks.listLength(k)
        guard trials >= 1, trials <= 1000 else { throw ValidationError("--trials must be between 1 and 1000") }
        guard testFraction > 0, testFraction < 1 else { throw ValidationError("--test-fraction must be between 0 and 1") }
        _ = try numbers(factorsList, "--factors-list")
        _ = try numbers(regularizationList, "--regularization-list")
        _ = try numbers(alphaList, "--alpha-list")
    }

    private func numbers(_ text: String, _ flag: String) throws -> [Double] {
        let values = text.split(separator: ",").map { Double($0.trimmingWhitespace()) }
        guard !values.isEmpty, values.allSatisfy({ $0 != nil && $0! > 0 && $0!.isFinite }) else {
            throw ValidationError("\(flag) must be a comma-separated list of positive numbers")
        }
        return values.map { $0! }
    }

    func run() throws {
        let data = try evaluationData(global: global, train: train, test: test, holdOut: .random(fraction: testFraction, seed: model.seed))
        let factors = try numbers(factorsList, "--factors-list").map { Int($0) }
        let regs = try numbers(regularizationList, "--regularization-list"), alphas = try numbers(alphaList, "--alpha-list")
        var candidates: [(factors: Int, regularization: Double, alpha: Double)] = []
        switch search {
        case .grid:
            for f in factors { for r in regs { for a in alphas { candidates.append((f, r, a)) } } }
        case .random:
            var rng = SplitMix64(seed: model.seed)
            func logUniform(_ values: [Double]) -> Double {
                let lo = log(values.min()!), hi = log(values.max()!)
                return exp(lo + (hi - lo) * rng.unit())
            }
            for _ in 0..<trials { candidates.append((factors[Int(rng.next() % UInt64(factors.count))], logUniform(regs), logUniform(alphas))) }
        }
        var results: [(factors: Int, regularization: Double, alpha: Double, metrics: RankingMetrics)] = []
        for (n, c) in candidates.enumerated() {
            var configuration = model.configuration
            configuration.factors = c.factors
            configuration.regularization = Float(c.regularization)
            configuration.alpha = Float(c.alpha)
            let (_, metrics) = try ModelTrainer.evaluate(data, spec: .als(configuration), k: k, threads: model.threads)
            results.append((c.factors, c.regularization, c.alpha, metrics))
            Terminal.note(
                "trial \(n + 1)/\(candidates.count): factors \(c.factors), regularization \(String(format: "%.4g", c.regularization)), alpha \(String(format: "%.4g", c.alpha)) → NDCG@\(k) \(fixed(metrics.ndcg, 4))"
            )
        }
        results.sort { $0.metrics.ndcg > $1.metrics.ndcg }
        let best = results[0]
        if json {
            try printJSONLine([
                "best": [
                    "factors": best.factors, "regularization": best.regularization, "alpha": best.alpha, "ndcg": best.metrics.ndcg,
                    "recall": best.metrics.recall
                ],
                "trials": results.map {
                    ["factors": $0.factors, "regularization": $0.regularization, "alpha": $0.alpha, "ndcg": $0.metrics.ndcg, "recall": $0.metrics.recall]
                }
            ])
            return
        }
        var t = TextTable("factors", "regularization", "alpha", "NDCG@\(k)", "recall@\(k)")
        for r in results {
            t.add(
                "\(r.factors)", String(format: "%.4g", r.regularization), String(format: "%.4g", r.alpha), fixed(r.metrics.ndcg, 4), fixed(r.metrics.recall, 4))
        }
        print(t.render())
        print(
            "Best: tact train --factors \(best.factors) --regularization \(String(format: "%.4g", best.regularization)) --alpha \(String(format: "%.4g", best.alpha))"
        )
    }
}
