import ArgumentParser
import Foundation
import TactCore
import TactEngine
import TactGuard
import TactRecommend

struct GuardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "guard",
        abstract: "The Guard: breach alerts from the server, and audits of what models leak.",
        subcommands: [Alerts.self, PlantCanaries.self, AuditModel.self])

    struct Alerts: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the Guard's alerts, newest first: what it saw, in words, and what it did (alert or suspend).",
            discussion: "A running 'tact serve' watches every access to a person's data. 'tact keys reinstate ID' restores a suspended key.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "How many alerts to show.") var limit = 20
        @Flag(help: "Print the result as one JSON line.") var json = false

        func validate() throws {
            guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be between 1 and 10000") }
        }

        func run() throws {
            let alerts = try global.openExisting().guardRecords.alerts(limit: limit)
            if json {
                try printJSONLine([
                    "alerts": alerts.map { a -> [String: Any] in
                        [
                            "id": a.id as Any, "at": a.at, "principal": a.principal, "severity": a.severity, "kind": a.kind,
                            "explanation": a.explanation, "persons": a.persons, "action": a.action
                        ]
                    }
                ])
                return
            }
            if alerts.isEmpty { print("No alerts."); return }
            var t = TextTable("id", "when", "severity", "kind", "principal", "action", "what")
            for a in alerts {
                t.add("\(a.id ?? 0)", dateText(a.at), a.severity, a.kind, a.principal, a.action, a.explanation)
            }
            print(t.render())
        }
    }

    struct PlantCanaries: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "plant-canaries",
            abstract: "Plant canary persons: synthetic people no legitimate request asks for; any access to one is a critical alert.",
            discussion: "Their pseudonyms go to DIR/guard-canaries (mode 0600), which 'tact serve' reads at start. Restart a running server to watch new ones.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "How many to plant.") var count = 5

        func run() throws {
            let total = try GuardCanaries.plant(count, engine: try global.openExisting())
            print("Planted \(count) canary persons (\(total) in all); restart 'tact serve' to watch them.")
        }
    }

    struct AuditModel: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "audit-model",
            abstract: "Attack a model with membership inference: the attack's AUC and an empirical lower bound on its ε.",
            discussion: """
                Picks 2 × --targets people with at least --minimum-items items and flips a coin for each: members \\
                stay in the training data, non-members are removed. Trains iALS (and DP-ALS at each --epsilons) \\
                on the rest, then attacks with the released item factors alone: fold in half of a person's items \\
                and see how well the model ranks the other half. Reports the attack's AUC (0.5 is chance) and a \\
                lower bound on ε at --delta, from the best threshold's true- and false-positive rates with \\
                95% Clopper–Pearson intervals. A DP model's bound must stay below its ε; a large bound on a \\
                non-private model says it memorizes. See docs/guard.md.
                """)

        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("Interactions to audit instead of the data directory.", valueName: "FILE")) var input: String?
        @Option(help: "Target people per side (members and non-members).") var targets = 200
        @Option(help: "Only people with at least this many items are targets.") var minimumItems = 10
        @Option(help: "iALS: latent factors.") var factors = 64
        @Option(help: "iALS: iterations.") var iterations = 15
        @Option(help: "iALS: L2 regularization (λ).") var regularization: Float = 0.01
        @Option(help: "iALS: confidence scale α.") var alpha: Float = 1
        @Option(help: "DP-ALS at each of these ε (comma-separated; empty for none).") var epsilons = "1,8"
        @Option(help: "δ of the bound and of DP-ALS.") var delta = 1e-5
        @Option(help: "Random seed (targets, coins, noise).") var seed: UInt64 = 1
        @Flag(help: "Print the result as one JSON line.") var json = false

        func validate() throws {
            guard (10...100_000).contains(targets) else { throw ValidationError("--targets must be between 10 and 100000") }
            guard minimumItems >= 2 else { throw ValidationError("--minimum-items must be at least 2 (half are folded in, half probed)") }
            guard (1...1024).contains(factors), (1...100).contains(iterations) else {
                throw ValidationError("--factors must be 1 to 1024 and --iterations 1 to 100")
            }
            guard regularization > 0, alpha >= 0, regularization.isFinite, alpha.isFinite else {
                throw ValidationError("--regularization must be positive and --alpha not negative")
            }
            guard delta > 0, delta < 1 else { throw ValidationError("--delta must be in (0, 1)") }
            _ = try epsilonList()
        }

        func epsilonList() throws -> [Double] {
            try epsilons.split(separator: ",").map { text in
                guard let e = Double(text.trimmingCharacters(in: .whitespaces)), e > 0, e.isFinite else {
                    throw ValidationError("--epsilons: '\(text)' is not a positive number")
                }
                return e
            }
        }

        func run() throws {
            let data = try interactionData(global: global, input: input)
            let eligible = (0..<data.matrix.rows).filter { data.matrix.count(ofRow: $0) >= minimumItems }.count
            guard eligible >= 2 * targets else {
                throw ValidationError("only \(eligible) people have \(minimumItems) or more items; lower --targets to \(eligible / 2) or fewer")
            }
            var rows: [(name: String, epsilon: Double?, result: MembershipInferenceAudit.Result)] = []
            var als = ALSConfiguration()
            als.factors = factors
            als.iterations = iterations
            als.regularization = regularization
            als.alpha = alpha
            als.seed = seed
            if !json { Terminal.note("auditing iALS (\(factors) factors, λ = \(regularization))...") }
            rows.append(
                (
                    "iALS", nil,
                    MembershipInferenceAudit.run(data.matrix, targets: targets, minimumItems: minimumItems, seed: seed, delta: delta) {
                        ImplicitALS.train($0, configuration: als, computesLoss: false)
                    }
                ))
            for epsilon in try epsilonList() {
                var c = PrivateALSConfiguration()
                c.epsilon = epsilon
                c.delta = delta
                c.seed = seed
                if let problem = c.problem { throw ValidationError("--epsilons \(epsilon): \(problem)") }
                if !json { Terminal.note("auditing DP-ALS at ε = \(epsilon)...") }
                rows.append(
                    (
                        "DP-ALS", epsilon,
                        MembershipInferenceAudit.run(data.matrix, targets: targets, minimumItems: minimumItems, seed: seed, delta: delta) {
                            PrivateALS.train($0, configuration: c, noise: .seeded(seed &* 7919)).model
                        }
                    ))
            }
            if json {
                try printJSONLine([
                    "targets": targets, "delta": delta,
                    "models": rows.map { row -> [String: Any] in
                        var o: [String: Any] = [
                            "model": row.name, "auc": row.result.privacy.auc, "epsilon_lower_bound": row.result.privacy.epsilonLowerBound,
                            "true_positive_rate": row.result.privacy.truePositiveRate, "false_positive_rate": row.result.privacy.falsePositiveRate,
                            "members": row.result.privacy.members, "non_members": row.result.privacy.nonMembers, "seconds": row.result.seconds
                        ]
                        if let e = row.epsilon { o["epsilon"] = e }
                        return o
                    }
                ])
                return
            }
            print("Membership inference on \(grouped(2 * targets)) target people (half members), δ = \(delta), 95% Clopper–Pearson")
            var t = TextTable("model", "ε guaranteed", "attack AUC", "ε lower bound", "TPR at bound", "FPR at bound")
            for row in rows {
                let p = row.result.privacy
                t.add(
                    row.name, row.epsilon.map { fixed($0, 2) } ?? "none", fixed(p.auc, 3), fixed(p.epsilonLowerBound, 2),
                    fixed(p.truePositiveRate, 3), fixed(p.falsePositiveRate, 3))
            }
            print(t.render())
            for row in rows where row.epsilon != nil && row.result.privacy.epsilonLowerBound > row.epsilon! {
                print("  warning: the bound for DP-ALS at ε = \(row.epsilon!) exceeds its guarantee: the implementation or its accounting is wrong")
            }
        }
    }
}
