import ArgumentParser
import TactCore
import TactEngine

struct ConsentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consent",
        abstract: "Record or show a person's consent, per purpose.",
        discussion: "Purposes: \(Purpose.names). Every change is appended to the consent ledger; nothing is overwritten.",
        subcommands: [Grant.self, Deny.self, Show.self])

    /// What `grant` and `deny` both take.
    struct Change: ParsableArguments {
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The person's user id (it is pseudonymized, never stored).") var user: String
        @Argument(help: "Purposes, comma-separated, or 'all'.") var purposes: String
        @Option(help: ArgumentHelp("Note for the ledger (no personal data).", valueName: "TEXT")) var note: String?

        func record(_ decision: ConsentDecision) throws {
            let list = try parsePurposes(purposes)
            let engine = try global.openEngine()
            if decision == .deny, list.contains(.modelTraining) {
                // The person's contribution leaves the saved model at once, as in erasure.
                let result = try SubjectRights(engine: engine).withdraw(user: user, purposes: list, actor: "cli")
                if result.model.userVectorsDropped > 0 {
                    print("Removed from the saved model: 1 user vector dropped, \(result.model.itemsResolved) item vectors solved again without them.")
                }
            } else {
                try ConsentService(engine: engine).record(user: user, purposes: list, decision: decision, note: note)
            }
            try printState(engine: engine, user: user)
        }
    }

    struct Grant: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record that a person grants consent for purposes.")
        @OptionGroup var change: Change
        func run() throws { try change.record(.grant) }
    }

    struct Deny: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record that a person refuses (or withdraws) consent for purposes.")
        @OptionGroup var change: Change
        func run() throws { try change.record(.deny) }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show what a person has consented to, and the ledger behind it.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The person's user id.") var user: String

        func run() throws {
            let engine = try global.openExisting()
            try printState(engine: engine, user: user)
            let history = try ConsentService(engine: engine).history(user: user)
            if history.isEmpty { return }
            print("\nLedger (oldest first):")
            var t = TextTable("when", "purpose", "decision", "source", "policy", "note")
            for r in history { t.add(dateText(r.recordedAt), r.purpose.rawValue, r.decision.rawValue, r.source.rawValue, r.policyVersion, r.note ?? "") }
            print(t.render())
        }
    }
}

private func printState(engine: Engine, user: String) throws {
    let pseudonym = engine.pseudonymizer.pseudonym(for: user)
    print("Consent of pseudonym \(pseudonym.short)… (mode \(engine.configuration.consentMode.rawValue)):")
    var t = TextTable("purpose", "permitted", "because")
    for row in try ConsentService(engine: engine).effective(user: user) {
        let because: String
        if row.purpose == .essential {
            because = "essential processing (\(engine.policy.text(for: .essential)?.legalBasis ?? "legitimate-interests"))"
        } else if let e = row.entry {
            because = "\(e.decision == .grant ? "granted" : "refused") (\(e.source.rawValue)) \(dateText(e.recordedAt))"
        } else {
            because = engine.configuration.consentMode == .optIn ? "no answer yet (opt-in)" : "no refusal (opt-out)"
        }
        t.add(row.purpose.rawValue, row.permitted ? "yes" : "no", because)
    }
    print(t.render())
}
