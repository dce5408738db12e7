import ArgumentParser
import Foundation
import TactCore
import TactEngine
import TactStore

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Verify, checkpoint and show the tamper-evident audit log.",
        discussion: """
            Every read or write of personal data is appended to a hash chain: each entry's SHA-256 covers the \
            one before it, so an altered, removed or reordered entry breaks the chain. Checkpoints signed with \
            an Ed25519 key kept outside the database (DIR/audit-signing.key, or TACT_AUDIT_KEY) are kept in the \
            database and appended to DIR/audit-checkpoints.log, so removing the newest entries shows as well. \
            'tact serve' writes one every 60 seconds while entries arrive (--checkpoint-every).

            Examples:
              tact audit verify                          exit 0 when intact, 1 naming the first bad entry
              tact audit verify --public-key HEX         check signatures against the key you kept
              tact audit checkpoint                      sign how far the log reaches now
              tact audit show --limit 50                 the newest entries
              tact audit key                             the public key to give your auditor
            """,
        subcommands: [Verify.self, Checkpoint.self, Show.self, Key.self])

    /// The audit log of an existing data directory; needs neither the pseudonym secret nor the configuration.
    static func open(_ global: GlobalOptions) throws -> AuditLog {
        let directory = global.directory
        guard directory.isInitialized else { throw EngineError.notInitialized(path: global.data) }
        return AuditLog(directory: directory, store: try directory.openStore())
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the whole chain and every checkpoint; exit 1 naming the first bad entry.",
            discussion: """
                Finds entries that were altered, removed (a gap), reordered, or removed from the end after a \
                checkpoint covered them, and checkpoints with a bad signature or missing from the database. \
                Signatures are checked against --public-key, else against the directory's signing key.
                """)
        @OptionGroup var global: GlobalOptions
        @Option(
            name: .customLong("public-key"),
            help: ArgumentHelp("The audit public key to trust (64 hex digits, as 'tact audit key' prints it).", valueName: "HEX"))
        var publicKey: String?

        func run() throws {
            var trusted: [UInt8]?
            if let publicKey {
                guard let bytes = Hex.decode(publicKey.trimmingWhitespace()), bytes.count == 32 else {
                    throw UsageError(AuditError.publicKeyInvalid.description)
                }
                trusted = bytes
            }
            let log = try AuditCommand.open(global)
            var lastDrawn = Date.distantPast
            let result = try log.verify(publicKey: trusted) { done, total in
                guard Date().timeIntervalSince(lastDrawn) > 0.2 else { return }
                lastDrawn = Date()
                Terminal.progress("verifying the audit log: \(grouped(Int(done))) of \(grouped(Int(total))) entries")
            }
            Terminal.endProgress()
            guard result.isIntact else {
                Terminal.error("the audit log was tampered with; \(result.summary)")
                for problem in result.problems.dropFirst() { Terminal.note("  also: \(problem)") }
                throw ExitCode(1)
            }
            print(result.summary)
        }
    }

    struct Checkpoint: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sign how far the audit log reaches now (creating the signing key on first use).")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let log = try AuditCommand.open(global)
            let (key, created) = try AuditSigningKey.loadOrCreate(in: log.directory)
            if created {
                Terminal.note(
                    "Created the audit signing key \(log.directory.auditSigningKeyPath) (mode 0600). Give the auditor its public key: \(key.publicKeyHex)")
            }
            guard let c = try log.checkpoint(key: key) else { return }
            print(
                "Checkpoint #\(c.number) at entry \(c.entryID) (\(grouped(Int(c.entryCount))) entries), signed by \(key.publicKeyHex); appended to \(log.directory.auditCheckpointsPath)."
            )
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the newest entries (the person concerned as a short pseudonymous prefix).")
        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("How many entries.", valueName: "N")) var limit = 20

        func validate() throws {
            guard (1...100_000).contains(limit) else { throw ValidationError("--limit must be from 1 to 100000") }
        }

        func run() throws {
            let log = try AuditCommand.open(global)
            let rows = try log.recentRows(limit: limit)
            if rows.isEmpty {
                print("The audit log is empty.")
                return
            }
            var t = TextTable("entry", "time", "actor", "action", "subject", "purpose", "detail")
            for r in rows.reversed() {
                t.add(
                    "\(r.id)", dateText(r.at), r.actor, r.action, r.subject.map { String(Hex.encode($0).prefix(12)) } ?? "",
                    r.purpose ?? "", r.detail)
            }
            print(t.render())
        }
    }

    struct Key: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the public key that checks checkpoint signatures (creating the signing key on first use).",
            discussion: "Keep the public key away from the server (with your auditor): 'tact audit verify --public-key HEX' then trusts only it.")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let directory = global.directory
            guard directory.isInitialized else { throw EngineError.notInitialized(path: global.data) }
            let (key, created) = try AuditSigningKey.loadOrCreate(in: directory)
            if created { Terminal.note("Created the audit signing key \(directory.auditSigningKeyPath) (mode 0600).") }
            print(key.publicKeyHex)
        }
    }
}
