import ArgumentParser
import Foundation
import TactCore
import TactEngine

struct PrivacyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "privacy",
        abstract: "Differential privacy: the budget each dataset has spent, and private releases of statistics.",
        subcommands: [Budget.self, Popular.self, Audit.self])

    struct Popular: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Release the most popular (or trending) items with user-level differential privacy.",
            discussion: """
                Each person counts toward at most --max-items-per-person items (with --trending, their latest, \
                weighted by recency with --half-life), and every item's total gets discrete Gaussian noise. \
                The release is recorded in the privacy ledger before it is computed, and refused past the budget.
                """)
        @OptionGroup var global: GlobalOptions
        @Option(help: "ε spent by this release.") var epsilon = 1.0
        @Option(help: "δ spent by this release.") var delta = 1e-6
        @Option(help: "Contribution bound: items one person counts toward.") var maxItemsPerPerson = 20
        @Flag(help: "Trending: recent events weigh more.") var trending = false
        @Option(help: "Trending: days after which an event weighs half.") var halfLife = 7.0
        @Option(
            help: ArgumentHelp(
                "Trending: the moment recency is measured from (seconds since 1970 or ISO 8601; default: now). Pick it from the calendar, never from the data: the data's latest event would leak.",
                valueName: "TIME")) var asOf: String?
        @Option(help: "How many items to show.") var top = 20
        @Flag(help: "One JSON object.") var json = false

        func validate() throws {
            try OptionChecks.positive(epsilon, flag: "--epsilon")
            try OptionChecks.probability(delta, flag: "--delta")
            try OptionChecks.positive(halfLife, flag: "--half-life")
            try OptionChecks.listLength(top, flag: "--top")
        }

        func run() throws {
            var now = Int64(Date().timeIntervalSince1970)
            if let asOf {
                switch TimestampParser.parse(asOf) {
                case .success(let t): now = t
                case .failure(let e): throw ValidationError("--as-of \(e.message)")
                }
            }
            let engine = try global.openExisting()
            let release = try PrivateStatistics(engine: engine).popularity(
                epsilon: epsilon, delta: delta, maxItemsPerPerson: maxItemsPerPerson, halfLifeDays: trending ? halfLife : nil, top: top, now: now)
            // Titles from the catalog (public data: printing them spends no budget); items the catalog lacks show their id only.
            let released = Set(release.items.map(\.id))
            let titles = Dictionary(
                try engine.catalog.items().filter { released.contains($0.id) }.map { ($0.id, $0.title) },
                uniquingKeysWith: { a, _ in a })
            if json {
                try printJSONLine([
                    "trending": release.trending, "epsilon": release.epsilon, "delta": release.delta,
                    "noise_standard_deviation": release.noiseStandardDeviation, "max_items_per_person": release.maxItemsPerPerson,
                    "items": release.items.map { ["item": $0.id, "title": titles[$0.id] ?? "", "score": $0.score] as [String: Any] }
                ])
                return
            }
            print(
                "\(release.trending ? "Trending" : "Popular") items, (ε = \(epsilon), δ = \(delta)) user-level DP; noise σ = \(fixed(release.noiseStandardDeviation, 1)) events per item"
            )
            var t = TextTable("rank", "item", "title", "noisy score")
            for (i, item) in release.items.enumerated() { t.add("\(i + 1)", item.id, titles[item.id] ?? "", fixed(item.score, 1)) }
            print(t.render())
            print("  recorded in the privacy ledger: see 'tact privacy budget'")
        }
    }

    struct Budget: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the privacy budget: what each dataset's releases spent (ε, δ, basic composition) and what is left.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Only this dataset.") var dataset: String?
        @Flag(help: "One JSON object.") var json = false

        func run() throws {
            let engine = try global.openExisting()
            let states = try PrivacyLedger(engine: engine).state(dataset: dataset)
            let budget = PrivacyLedger(engine: engine).budget
            if json {
                try printJSONLine([
                    "budget": ["epsilon": budget.epsilon, "delta": budget.delta],
                    "datasets": states.map { s in
                        [
                            "dataset": s.dataset, "spent_epsilon": s.spentEpsilon, "spent_delta": s.spentDelta,
                            "remaining_epsilon": s.remainingEpsilon, "remaining_delta": s.remainingDelta,
                            "releases": s.releases.map {
                                [
                                    "release": $0.release, "mechanism": $0.mechanism, "epsilon": $0.epsilon,
                                    "delta": $0.delta, "recorded_at": $0.recordedAt
                                ] as [String: Any]
                            }
                        ] as [String: Any]
                    }
                ])
                return
            }
            print("Budget per dataset: ε = \(budget.epsilon), δ = \(budget.delta) (config.json \"privacyBudget\"; releases add up)")
            guard !states.isEmpty else {
                print("No differentially private release recorded yet.")
                return
            }
            for s in states {
                print("\n\(s.dataset): spent ε = \(s.spentEpsilon), δ = \(s.spentDelta); left ε = \(s.remainingEpsilon), δ = \(s.remainingDelta)")
                var t = TextTable("when", "release", "mechanism", "ε", "δ")
                for r in s.releases { t.add(dateText(r.recordedAt), r.release, r.mechanism, "\(r.epsilon)", "\(r.delta)") }
                if !s.releases.isEmpty { print(t.render()) }
            }
        }
    }
}
