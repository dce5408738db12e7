import ArgumentParser
import Foundation
import TactEngine

struct PrivacyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "privacy",
        abstract: "Differential privacy: the budget each dataset has spent on private releases.",
        subcommands: [Budget.self])

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
                        ["dataset": s.dataset, "spent_epsilon": s.spentEpsilon, "spent_delta": s.spentDelta,
                         "remaining_epsilon": s.remainingEpsilon, "remaining_delta": s.remainingDelta,
                         "releases": s.releases.map { ["release": $0.release, "mechanism": $0.mechanism, "epsilon": $0.epsilon,
                                                        "delta": $0.delta, "recorded_at": $0.recordedAt] as [String: Any] }] as [String: Any]
                    },
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
