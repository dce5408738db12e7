import ArgumentParser
import Foundation
import TactEngine
import TactGuard
import TactStore

struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Create, list and revoke the API keys that clients of the HTTP API present.",
        discussion: """
            Each key holds scopes that say what it may do: \(Scope.names). \
            'admin' allows everything. Tact keeps only the SHA-256 of a key, so the key is shown once, \
            when it is created; a lost key cannot be recovered, only replaced.

            Each key also has a role, the shape of access the Guard expects of it (\(KeyRole.names); \
            app by default). A shape the role does not have is what the Guard acts on, not volume alone.

            Examples:
              tact keys create --name web-frontend --scopes ingest,recommend
              tact keys create --name nightly-export --scopes recommend --role batch --hours 02-05
              tact keys list
              tact keys role k3f9a01b2c4 --role support
              tact keys revoke k3f9a01b2c4
            """,
        subcommands: [Create.self, List.self, Role.self, Revoke.self, Reinstate.self])

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a key and show it, this once.")
        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("What the key is for, e.g. the client that uses it (1 to 64 characters).", valueName: "NAME"))
        var name: String
        @Option(help: ArgumentHelp("Scopes, comma-separated: \(Scope.names).", valueName: "LIST"))
        var scopes: String
        @OptionGroup var role: RoleOptions
        @Flag(help: "Print the result as one JSON line (it holds the key).")
        var json = false

        func run() throws {
            let list: [Scope]
            do { list = try Scope.parseList(scopes) } catch { throw UsageError(error.description) }
            let engine = try global.openEngine()
            let created: (record: APIKeyRecord, key: String)
            do {
                created = try APIKeyService(engine: engine).create(
                    name: name, scopes: Set(list), role: try APIKeyService.parseRole(role.role, hours: role.hours, scopes: Set(list)))
            } catch EngineError.invalidArgument(let message) {
                throw UsageError(message)
            }
            let r = created.record
            if json {
                let object: [String: Any] = [
                    "id": r.id, "name": r.name, "scopes": r.scopes, "role": r.role, "created_at": r.createdAt, "key": created.key
                ]
                print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self))
                return
            }
            let assigned = APIKeyService.role(of: r) ?? RoleAssignment(.standard)
            print("Created API key \(r.id) '\(r.name)' with scopes \(r.scopes.joined(separator: ", ")), role \(assigned) (\(assigned.role.shape)):")
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
                        "id": k.id, "name": k.name, "scopes": k.scopes, "role": k.role, "created_at": k.createdAt,
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
            var t = TextTable("id", "name", "scopes", "role", "created", "revoked", "suspended")
            for k in keys {
                t.add(
                    k.id, k.name, k.scopes.joined(separator: ","), k.role.isEmpty ? "none" : k.role, dateText(k.createdAt), k.revokedAt.map(dateText) ?? "",
                    k.suspendedAt.map(dateText) ?? "")
            }
            print(t.render())
            let unassigned = keys.filter { $0.role.isEmpty && !$0.isRevoked }.map(\.id)
            if !unassigned.isEmpty {
                print(
                    "  \(unassigned.joined(separator: ", ")) \(unassigned.count == 1 ? "has" : "have") no role (made before keys had roles): the Guard holds \(unassigned.count == 1 ? "it" : "them") to \(unassigned.count == 1 ? "its" : "their") own baselines only; give each one with 'tact keys role ID --role ROLE'"
                )
            }
            for k in keys where k.isSuspended {
                print("  \(k.id) was suspended by the Guard: \(k.suspensionReason ?? "no reason recorded"); 'tact keys reinstate \(k.id)' restores it")
            }
        }
    }

    struct Role: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Give a key another role: the shape of access the Guard expects of it.",
            discussion: "A running server holds the key to its new role within 2 seconds. The change is recorded in the audit log.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The key's id, as 'tact keys list' shows it.") var id: String
        @OptionGroup var role: RoleOptions

        func run() throws {
            let r: APIKeyRecord
            do {
                r = try APIKeyService(engine: global.openExisting()).setRole(id: id, role: try role.assignment())
            } catch EngineError.invalidArgument(let message) {
                throw UsageError(message)
            }
            let assigned = try role.assignment()
            print("API key \(r.id) '\(r.name)' now has the role \(assigned): \(assigned.role.shape).")
        }
    }

    /// A key's role and, for a batch job, its hours.
    struct RoleOptions: ParsableArguments {
        @Option(
            help: ArgumentHelp(
                "What the key is for, the shape of access the Guard expects: \(KeyRole.names). When creating, left out: admin for the admin scope, support for subjects, app for ingest or recommend, analyst otherwise.",
                valueName: "ROLE"))
        var role: String?
        @Option(
            help: ArgumentHelp(
                "UTC hours the key may read people in, FROM-TO (e.g. 02-05 for a nightly batch job); any hour when left out.", valueName: "HOURS"))
        var hours: String?

        func assignment() throws -> RoleAssignment {
            guard let role else { throw EngineError.invalidArgument("give the role with --role: one of \(KeyRole.names)") }
            return try APIKeyService.parseRole(role, hours: hours)
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
