import ArgumentParser
import Foundation
import TactCore
import TactEngine
import TactRecommend

extension PrivacyCommand {
    struct Audit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Audit a private release empirically: a lower bound on its ε from many runs on neighbouring datasets.",
            discussion: """
                Runs the release --runs times on a dataset and --runs times on the same dataset without one person \
                (--remove first, last or largest), fits a test that tells the two apart on half the runs and, on \
                the other half, turns its errors into a lower bound on ε (Clopper–Pearson, at --confidence). A \
                bound above the claimed ε proves the release leaks more than it says. The dataset is random \
                (--people, --items) unless --data names an interaction file. An audit is a measurement, not a \
                release: it spends no budget, and on real data its numbers come from the data.
                """)
        @Option(help: ArgumentHelp("Releases to audit, comma-separated: popular, trending, dp-als, or all.", valueName: "LIST")) var release = "all"
        @Option(help: ArgumentHelp("Who the neighbouring dataset leaves out, comma-separated: first, last, largest.", valueName: "LIST")) var remove =
            "first,last,largest"
        @Option(help: "The ε each release claims.") var epsilon = 1.0
        @Option(help: "The δ each release claims.") var delta = 1e-6
        @Option(help: "Contribution bound: items one person counts toward.") var maxItemsPerPerson = 10
        @Option(help: "Runs on each side.") var runs = 1000
        @Option(help: "Confidence of the lower bound.") var confidence = 0.95
        @Option(help: ArgumentHelp("An interaction file to audit on instead of a random dataset (CSV, TSV or MovieLens u.data).", valueName: "FILE")) var data:
            String?
        @Option(help: "Random dataset: people.") var people = 200
        @Option(help: "Random dataset: items.") var items = 100
        @Option(help: "Seeds the random dataset and every run.") var seed: UInt64 = 1
        @Option(help: "Worker threads; 0 means one per processor.") var threads = 0
        @Flag(help: "One JSON object.") var json = false

        func validate() throws {
            try OptionChecks.positive(epsilon, flag: "--epsilon")
            try OptionChecks.probability(delta, flag: "--delta")
            guard (0.5..<1).contains(confidence) else { throw ValidationError("--confidence must be in [0.5, 1)") }
            guard (8...1_000_000).contains(runs) else { throw ValidationError("--runs must be between 8 and 1000000") }
            guard (1...10_000).contains(maxItemsPerPerson) else { throw ValidationError("--max-items-per-person must be between 1 and 10000") }
            guard (2...10_000_000).contains(people), (1...1_000_000).contains(items) else {
                throw ValidationError("--people must be 2 to 10000000 and --items 1 to 1000000")
            }
            try OptionChecks.threads(threads)
        }

        func run() throws {
            let releases: [ReleaseAudit.Release] = try parseList(release, all: ReleaseAudit.Release.allCases, flag: "--release")
            let neighbours: [ReleaseAudit.Neighbour] = try parseList(remove, all: ReleaseAudit.Neighbour.allCases, flag: "--remove")
            var settings = ReleaseAudit.Settings()
            settings.epsilon = epsilon
            settings.delta = delta
            settings.maxItemsPerPerson = maxItemsPerPerson
            settings.runs = runs
            settings.confidence = confidence
            settings.seed = seed
            settings.threads = threads
            let matrix: SparseMatrix, timestamps: [Int64]
            if let data {
                let read = try InteractionMatrix.read(InteractionFileFormat.detect(path: data).open(path: data), keepTimestamps: true)
                matrix = read.matrix
                timestamps = read.timestamps
                // Trending is measured from a fixed moment after the file's last event (an audit, not a release).
                settings.now = (timestamps.max() ?? 0) + 1
            } else {
                guard people >= 2, items >= 1 else { throw ValidationError("--people must be at least 2 and --items at least 1") }
                settings.now = 1_767_225_600  // 2026-01-01, fixed
                (matrix, timestamps) = ReleaseAudit.randomDataset(
                    people: people, items: items, maxItemsPerPerson: maxItemsPerPerson,
                    now: settings.now, seed: seed)
            }
            var findings: [ReleaseAudit.Finding] = []
            for r in releases {
                let mechanism = try ReleaseAudit.mechanism(r, settings: settings)
                for n in neighbours {
                    let label = "\(r.rawValue), without the \(n.rawValue) person"
                    let finding = try ReleaseAudit.audit(
                        matrix, timestamps: timestamps, mechanism: mechanism, name: r.rawValue, neighbour: n,
                        settings: settings
                    ) { done in Terminal.progress("\(label): \(done) of \(2 * runs) runs") }
                    Terminal.endProgress()
                    findings.append(finding)
                }
            }
            if json {
                try printJSONLine([
                    "people": matrix.rows, "items": matrix.columns, "runs": runs, "confidence": confidence,
                    "findings": findings.map {
                        [
                            "release": $0.release, "removed": $0.neighbour.rawValue, "claimed_epsilon": $0.claimedEpsilon, "delta": $0.delta,
                            "epsilon_lower_bound": $0.result.epsilonLowerBound, "epsilon_estimate": $0.result.epsilonEstimate,
                            "held_out_runs": $0.result.heldOutRuns, "false_positives": $0.result.falsePositives,
                            "false_negatives": $0.result.falseNegatives, "consistent": $0.consistent
                        ] as [String: Any]
                    }
                ])
                return
            }
            print("Empirical DP audit: \(matrix.rows) people, \(matrix.columns) items, \(runs) runs per side, at most \(maxItemsPerPerson) items per person")
            var t = TextTable(
                "release", "removed", "claimed ε", "δ", "held-out FP", "held-out FN",
                "ε lower bound (\(Int((confidence * 100).rounded()))%)", "verdict")
            for f in findings {
                t.add(
                    f.release, f.neighbour.rawValue, "\(f.claimedEpsilon)", "\(f.delta)", "\(f.result.falsePositives) of \(f.result.heldOutRuns)",
                    "\(f.result.falseNegatives) of \(f.result.heldOutRuns)", fixed(f.result.epsilonLowerBound, 3),
                    f.consistent ? "consistent" : "LEAKS MORE THAN CLAIMED")
            }
            print(t.render())
            if findings.contains(where: { !$0.consistent }) { throw ExitCode(3) }
        }

        private func parseList<T: RawRepresentable & CaseIterable>(_ text: String, all: T.AllCases, flag: String) throws -> [T] where T.RawValue == String {
            if text == "all" { return Array(all) }
            return try text.split(separator: ",").map { name in
                guard let value = T(rawValue: String(name).trimmingCharacters(in: .whitespaces)) else {
                    throw ValidationError("\(flag) takes \(all.map(\.rawValue).joined(separator: ", ")) or all, not '\(name)'")
                }
                return value
            }
        }
    }
}
