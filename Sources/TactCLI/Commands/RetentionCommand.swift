import ArgumentParser
import Foundation
import TactCore
import TactEngine
import TactStore

struct RetentionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retention",
        abstract: "Delete what the policy's retention periods say has expired, and show what was deleted.",
        discussion: """
            Events older than the "interactions" period are deleted; the free text of events older than the \
            "context" period is emptied. Consent records, subjects and the audit log are never deleted \
            (the audit log is append-only). Each run is recorded, with counts per category, and audited. \
            'tact serve' runs the job hourly by itself (--retention-every).

            A run that would delete more than half of all events (a history imported with old \
            timestamps, a period shortened by mistake) deletes nothing, is recorded as refused and says \
            why; 'tact retention run --confirm' deletes them.

            Examples:
              tact retention run
              tact retention run --confirm
              tact retention run --now 2027-01-01T00:00:00Z
              tact retention show
            """,
        subcommands: [Run.self, Show.self])

    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run the retention job now and print what it deleted.")
        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("The time to treat as now: ISO 8601 (2027-01-01T00:00:00Z) or seconds since 1970. Default: the clock.", valueName: "TIME"))
        var now: String?
        @Flag(help: "Delete even if that is more than half of all events (a run that would is refused, and deletes nothing, without this).")
        var confirm = false
        @Flag(help: "Print the result as one JSON line.")
        var json = false

        func run() throws {
            var at = Int64(Date().timeIntervalSince1970)
            if let now {
                switch TimestampParser.parse(now) {
                case .success(let t): at = t
                case .failure(let e): throw UsageError("--now \(e.message)")
                }
            }
            let run: RetentionRun
            do {
                run = try RetentionJob(engine: global.openExisting()).run(now: at, confirmed: confirm)
            } catch let refusal as RetentionRefused {
                if json { print(try RetentionCommand.runJSON([refusal.run])) }
                throw refusal
            }
            if json {
                print(try RetentionCommand.runJSON([run]))
                return
            }
            print("Retention run \(run.id ?? 0) as of \(dateText(run.ranAt)), policy \(run.policyVersion): \(grouped(run.total)) deleted or cleared.")
            print(RetentionCommand.table(run))
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the most recent runs of the retention job, newest first.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "How many runs to show.") var limit = 10
        @Flag(help: "Print the result as one JSON line.")
        var json = false

        func validate() throws {
            guard (1...1_000).contains(limit) else { throw ValidationError("--limit must be from 1 to 1000") }
        }

        func run() throws {
            let runs = try RetentionJob(engine: global.openExisting()).recentRuns(limit: limit)
            if json {
                print(try RetentionCommand.runJSON(runs))
                return
            }
            if runs.isEmpty {
                print("The retention job has not run yet; run it with 'tact retention run' (or let 'tact serve' run it).")
                return
            }
            for (i, run) in runs.enumerated() {
                if i > 0 { print("") }
                print("Run \(run.id ?? 0) as of \(dateText(run.ranAt)) by \(run.actor), policy \(run.policyVersion): \(grouped(run.total)) deleted or cleared.")
                print(RetentionCommand.table(run))
            }
        }
    }

    static func table(_ run: RetentionRun) -> String {
        var t = TextTable("category", "kept for", "done", "older than")
        for c in run.categories {
            t.add(c.name, PolicyDiff.retention(c.retentionDays), c.summary, c.cutoff.map(dateText) ?? "")
        }
        return t.render()
    }

    static func runJSON(_ runs: [RetentionRun]) throws -> String {
        let rows: [[String: Any]] = runs.map { r in
            [
                "id": r.id.map { $0 as Any } ?? NSNull(), "ran_at": r.ranAt, "actor": r.actor, "policy_version": r.policyVersion, "total": r.total,
                "categories": r.categories.map { c -> [String: Any] in
                    [
                        "name": c.name, "retention_days": c.retentionDays.map { $0 as Any } ?? NSNull(), "cutoff": c.cutoff.map { $0 as Any } ?? NSNull(),
                        "action": c.action.rawValue, "count": c.count, "note": c.note.map { $0 as Any } ?? NSNull()
                    ]
                }
            ]
        }
        return String(decoding: try JSONSerialization.data(withJSONObject: ["runs": rows], options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self)
    }
}
