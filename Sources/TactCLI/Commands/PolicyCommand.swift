import ArgumentParser
import Foundation
import TactCore
import TactEngine

struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "The privacy policy's version history, what changed between versions, and the record of processing activities.",
        discussion: """
            Tact records each version of DIR/policy.json the first time it runs with it. Change the \
            policy's "version" whenever its text changes: a changed text under a recorded version is refused.

            Examples:
              tact policy history
              tact policy diff 2026-11-29.1 2027-01-15.1
              tact policy record > record-of-processing.md
              tact policy record --format json
            """,
        subcommands: [History.self, Diff.self, Record.self])

    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the recorded policy versions, newest first, with what changed in each.")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print the result as one JSON line.")
        var json = false

        func run() throws {
            let engine = try global.openExisting()
            let versions = try engine.policyHistory.versions()
            let current = engine.policy.version
            if json {
                let rows: [[String: Any]] = versions.map { v in
                    [
                        "version": v.policy.version, "first_seen_at": v.firstSeenAt, "current": v.policy.version == current,
                        "previous": v.changes?.from as Any? ?? NSNull(),
                        "changes": (v.changes?.changes ?? []).map { ["kind": $0.kind.rawValue, "text": $0.text] }
                    ]
                }
                let object: [String: Any] = ["current": current, "versions": rows]
                print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self))
                return
            }
            print("Policy versions, newest first (in force: \(current)):")
            for v in versions {
                print("")
                print("\(v.policy.version)\(v.policy.version == current ? " (in force)" : ""), first seen \(dateText(v.firstSeenAt))")
                guard let diff = v.changes else {
                    print("  the first version recorded")
                    continue
                }
                if diff.isEmpty { print("  no change in substance from \(diff.from)") }
                for c in diff.changes { print("  - \(c.text)") }
            }
        }
    }

    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show what changed from one recorded policy version to another.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The older version, as 'tact policy history' lists it.") var from: String
        @Argument(help: "The newer version.") var to: String
        @Flag(help: "Print the result as one JSON line.")
        var json = false

        func run() throws {
            let engine = try global.openExisting()
            let diff: PolicyDiff
            do {
                diff = try engine.policyHistory.diff(from: from, to: to)
            } catch let error as EngineError {
                if case .unknownPolicyVersion = error { throw UsageError(error.description) }
                throw error
            }
            if json {
                let object: [String: Any] = ["from": diff.from, "to": diff.to, "changes": diff.changes.map { ["kind": $0.kind.rawValue, "text": $0.text] }]
                print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self))
                return
            }
            if diff.isEmpty {
                print("No change in substance from \(diff.from) to \(diff.to).")
                return
            }
            print("From \(diff.from) to \(diff.to):")
            for c in diff.changes { print("  - \(c.text)") }
        }
    }

    enum RecordFormat: String, ExpressibleByArgument, CaseIterable {
        case markdown, json
    }

    struct Record: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the record of processing activities (GDPR Art. 30(1)) generated from the policy in force.",
            discussion:
                "It lists the controller, purposes and legal bases, data subjects, data categories with their retention and how Tact applies it, recipients, transfers and the technical measures Tact takes. Add your organisation's own measures to the copy you keep."
        )
        @OptionGroup var global: GlobalOptions
        @Option(help: "markdown or json.") var format: RecordFormat = .markdown

        func run() throws {
            let engine = try global.openExisting()
            let record = ProcessingRecord(policy: engine.policy, mode: engine.configuration.consentMode)
            switch format {
            case .markdown: print(record.markdown(), terminator: "")
            case .json: print(String(decoding: record.jsonData(), as: UTF8.self))
            }
        }
    }
}
