import ArgumentParser
import Foundation
import TactEngine
import TactStore

struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Create, list and revoke the API keys that clients of the HTTP API present.",
        discussion: """
            Each key holds scopes that say what it may do: \(Scope.names). \
            'admin' allows everything. Tact keeps only the SHA-256 of a key, so the key is shown once, \
            when it is created; a lost key cannot be recovered, only replaced.

            Examples:
              tact keys create --name web-frontend --scopes ingest,recommend
              tact keys list
              tact keys revoke k3f9a01b2c4
            """,
        subcommands: [Create.self, List.self, Revoke.self, Reinstate.self])

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a key and show it, this once.")
        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("What the key is for, e.g. the client that uses it (1 to 64 characters).", valueName: "NAME"))
        var name: String
        @Option(help: ArgumentHelp("Scopes, comma-separated: \(Scope.names).", valueName: "LIST"))
        var scopes: String
        @Flag(help: "Print the result as one JSON line (it holds the key).")
        var json = false

        func run() throws {
            let list: [Scope]
            do { list = try Scope.parseList(scopes) } catch { throw UsageError(error.description) }
            let engine = try global.openEngine()
            let created: (record: APIKeyRecord, key: String)
            do {
                created = try APIKeyService(engine: engine).create(name: name, scopes: Set(list))
            } catch EngineError.invalidArgument(let message) {
                throw UsageError(message)
            }
            let r = created.record
            if json {
                let object: [String: Any] = ["id": r.id, "name": r.name, "scopes": r.scopes, "created_at": r.createdAt, "key": created.key]
                print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self))
                return
            }
            print("Created API key \(r.id) '\(r.name)' with scopes \(r.scopes.joined(separator: ", ")):")
            print("")
            print("  \(created.key)")
            print("")
            print("This is the only time the key is shown: Tact keeps only its SHA-256 and cannot show it again.")
            print("Store it where the client reads its secrets. If it is lost, create a new key and revoke this one with 'tact keys revoke \(r.id)'.")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List every key, revoked ones included (the keys themselves are not kept).")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print the result as one JSON line.")
        var json = false

        func run() throws {
            let keys = try APIKeyService(engine: global.openExisting()).list()
            if json {
                let rows: [[String: Any]] = keys.map { k in
                    [
                        "id": k.id, "name": k.name, "scopes": k.scopes, "created_at": k.createdAt,
                        "revoked_at": k.revokedAt.map { $0 as Any } ?? NSNull(), "suspended_at": k.suspendedAt.map { $0 as Any } ?? NSNull(),
                        "suspension_reason": k.suspensionReason.map { $0 as Any } ?? NSNull()
                    ]
                }
                print(String(decoding: try JSONSerialization.data(withJSONObject: ["keys": rows], options: [.sortedKeys]), as: UTF8.self))
                return
            }
            if keys.isEmpty {
                print("No API keys yet; create one with 'tact keys create --name NAME --scopes LIST'.")
                return
            }
            var t = TextTable("id", "name", "scopes", "created", "revoked", "suspended")
            for k in keys {
                t.add(k.id, k.name, k.scopes.joined(separator: ","), dateText(k.createdAt), k.revokedAt.map(dateText) ?? "", k.suspendedAt.map(dateText) ?? "")
            }
            print(t.render())
            for k in keys where k.isSuspended {
                print("  \(k.id) was suspended by the Guard: \(k.suspensionReason ?? "no reason recorded"); 'tact keys reinstate \(k.id)' restores it")
            }
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke a key: requests that present it are refused from now on.",
            discussion: "A running server may keep accepting the key for up to 2 seconds. Revoked keys stay listed, with the time of revocation.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The key's id, as 'tact keys list' shows it (e.g. k3f9a01b2c4).") var id: String

        func run() throws {
            let r = try APIKeyService(engine: global.openExisting()).revoke(id: id)
            print("API key \(r.id) '\(r.name)' is revoked since \(r.revokedAt.map(dateText) ?? "now").")
        }
    }

    struct Reinstate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Restore a key the Guard suspended.",
            discussion:
                "Read the alert first ('tact guard alerts'): a key suspended for bulk reading may have leaked; revoke it and create a new one instead if so.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The key's id, as 'tact keys list' shows it.") var id: String

        func run() throws {
            let r = try APIKeyService(engine: global.openExisting()).reinstate(id: id)
            print("API key \(r.id) '\(r.name)' is reinstated; it works again within 2 seconds on a running server.")
        }
    }
}
