import ArgumentParser
import Foundation
import TactCore
import TactEngine
import TactStore

struct SubjectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "subject",
        abstract: "Act on a person's data-subject request: export, erase, rectify, restrict, object, status.",
        discussion: """
            Each command records a tracked request (received, verified by you, completed, with its legal
            deadline) and mirrors the HTTP API under /v1/people/{person}. 'tact subject requests' lists
            every request for auditors.
            """,
        subcommands: [Export.self, Erase.self, Rectify.self, Restrict.self, Object.self, Status.self, Requests.self])

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Everything held about a person, as one JSON document (or their interactions as CSV).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The person's user id.") var user: String
        @Option(help: "json (everything) or csv (interactions).") var format = "json"
        @Option(name: .shortAndLong, help: ArgumentHelp("Write to this file (mode 0600) instead of standard output.", valueName: "PATH")) var output: String?

        func validate() throws {
            guard format == "json" || format == "csv" else { throw ValidationError("--format is json or csv") }
        }

        func run() throws {
            let engine = try global.openExisting()
            let models = ModelDirectory(directory: engine.directory)
            let path = models.modelPath(algorithm: models.defaultAlgorithm)
            var recommender: ModelRecommender?
            if FileManager.default.fileExists(atPath: path) {
                let (served, metadata) = try ModelStorage.loadServable(path: path)
                recommender = try ModelRecommender(engine: engine, served: served, itemIDs: metadata.items)
            }
            let document = try SubjectExporter(engine: engine).export(user: user, actor: "cli", recommender: recommender)
            let bytes = format == "csv" ? Data(document.interactionsCSV().utf8) : try document.jsonData() + Data("\n".utf8)
            if let output {
                guard FileManager.default.createFile(atPath: output, contents: bytes, attributes: [.posixPermissions: 0o600]) else {
                    throw EngineError.invalidArgument("cannot write \(output); check the folder exists and is writable")
                }
                Terminal.note("wrote \(output): \(document.interactions.count) interactions, \(document.audit.count) audit entries")
            } else {
                FileHandle.standardOutput.write(bytes)
            }
        }
    }

    struct Erase: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Erase a person: their data, their key, their user vector and their part of the item vectors.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The person's user id.") var user: String

        func run() throws {
            let engine = try global.openExisting()
            let r = try SubjectRights(engine: engine).erase(user: user, actor: "cli")
            guard r.found else {
                print("Nothing was held for this person. Request #\(r.requestID) recorded as completed.")
                return
            }
            print("Erased (request #\(r.requestID), \(fixed(r.seconds * 1000, 1)) ms):")
            print("  \(grouped(r.removed.interactions)) interactions and \(r.removed.consentRecords) consent records removed")
            print("  key \(r.keyShredded ? "shredded: sealed free text in copies and backups is unreadable" : "absent: no free text was stored")")
            print("  model: \(r.model.userVectorsDropped) user vector dropped, \(r.model.itemsResolved) item vectors solved again without them")
            if !r.model.awaitingRetrain.isEmpty {
                print(
                    "  \(r.model.awaitingRetrain.joined(separator: ", ")) model(s) keep their part until retrained: run 'tact train' (a running server retrains on its own)"
                )
            }
        }
    }

    struct Rectify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete or correct a person's interactions, named by the ids their export lists.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The person's user id.") var user: String
        @Option(help: ArgumentHelp("Delete this interaction (repeatable).", valueName: "ID")) var delete: [Int64] = []
        @Option(help: ArgumentHelp("Correct an interaction: ID=VALUE, ID=KIND or ID=KIND:VALUE (repeatable).", valueName: "CORRECTION")) var set: [String] = []

        func run() throws {
            var corrections: [InteractionCorrection] = []
            for text in set {
                guard let c = Self.parse(text) else {
                    throw UsageError(
                        "--set '\(text)' is not ID=VALUE, ID=KIND or ID=KIND:VALUE (kinds: \(InteractionKind.allCases.map(\.rawValue).joined(separator: ", ")))"
                    )
                }
                corrections.append(c)
            }
            guard !delete.isEmpty || !corrections.isEmpty else { throw UsageError("name interactions with --delete ID or --set ID=VALUE") }
            let engine = try global.openExisting()
            let r = try SubjectRights(engine: engine).rectify(user: user, delete: delete, corrections: corrections, actor: "cli")
            print("Rectified (request #\(r.requestID)): \(r.deleted) deleted, \(r.corrected) corrected; \(r.model.itemsResolved) item vectors solved again")
            if !r.unknown.isEmpty {
                Terminal.error("not this person's interactions (nothing done for them): \(r.unknown.map(String.init).joined(separator: ", "))")
            }
            if !r.unknown.isEmpty { throw ExitCode(1) }
        }

        static func parse(_ text: String) -> InteractionCorrection? {
            let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let id = Int64(parts[0]) else { return nil }
            let rhs = parts[1].split(separator: ":", maxSplits: 1).map(String.init)
            if rhs.count == 2 {
                guard let kind = InteractionKind(rawValue: rhs[0]), let value = Double(rhs[1]), value.isFinite else { return nil }
                return InteractionCorrection(id: id, kind: kind, value: value)
            }
            if let value = Double(rhs[0]), value.isFinite { return InteractionCorrection(id: id, value: value) }
            if let kind = InteractionKind(rawValue: rhs[0]) { return InteractionCorrection(id: id, kind: kind) }
            return nil
        }
    }

    struct Restrict: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Restrict processing of a person's data: kept but frozen (no training, no personalization, no new events).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The person's user id.") var user: String
        @Flag(help: "Lift the restriction instead.") var lift = false

        func run() throws {
            let engine = try global.openExisting()
            let r = try SubjectRights(engine: engine).restrict(user: user, lift: lift, actor: "cli")
            if lift {
                print("Restriction lifted (request #\(r.requestID)); the person rejoins models at the next training.")
            } else {
                print(
                    "Restricted (request #\(r.requestID)): data kept but frozen; \(r.model.userVectorsDropped) user vector dropped, \(r.model.itemsResolved) item vectors solved again"
                )
            }
        }
    }

    struct Object: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a person's objection to profiling: non-personalized recommendations only, no targeted advertising.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The person's user id.") var user: String

        func run() throws {
            let engine = try global.openExisting()
            try SubjectRights(engine: engine).object(user: user, actor: "cli")
            print("Objection recorded: personalization and advertising refused (source 'objection').")
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A person's requests: when each was received, verified and completed, and its deadline.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The person's user id.") var user: String

        func run() throws {
            let engine = try global.openExisting()
            let requests = try SubjectRights(engine: engine).requests(user: user)
            guard !requests.isEmpty else {
                print("No requests recorded for this person.")
                return
            }
            print(requestTable(requests).render())
        }
    }

    struct Requests: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every data-subject request, for auditors (no person is named).")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Only requests not completed by their deadline.") var overdue = false

        func run() throws {
            let engine = try global.openExisting()
            let now = Int64(Date().timeIntervalSince1970)
            let requests = try SubjectRights(engine: engine).allRequests().filter { !overdue || ($0.completedAt ?? now) > $0.dueAt }
            print(requestTable(requests).render())
            print("\(requests.count) request\(requests.count == 1 ? "" : "s")")
        }
    }
}

/// Requests as a table: number, kind, status, the three times, the deadline and what was done.
private func requestTable(_ requests: [SubjectRequest]) -> TextTable {
    var t = TextTable("#", "kind", "status", "received", "verified", "completed", "due", "detail")
    for r in requests {
        t.add(
            String(r.id), r.kind.rawValue, r.status.rawValue, dateText(r.receivedAt), r.verifiedAt.map(dateText) ?? "-",
            r.completedAt.map(dateText) ?? "-", dateText(r.dueAt), r.detail)
    }
    return t
}
