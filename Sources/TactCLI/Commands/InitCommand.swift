import ArgumentParser
import Foundation
import TactCore
import TactEngine

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a data directory: database, secret, consent mode and privacy policy.",
        discussion: """
            The secret that turns user ids into pseudonyms is created in DIR/secret.key with mode 0600, \
            unless TACT_SECRET is set (64 hex characters, or at least 32 bytes). Keep it outside backups \
            of the database: with it, a pseudonym can be checked against a guessed id.

            Consent modes:
              opt-in   GDPR: nothing is collected for a purpose until the person grants it (default)
              opt-out  CCPA: collected until the person refuses; a Global Privacy Control signal
                       refuses sale-or-sharing and advertising
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: "Consent mode: opt-in or opt-out.")
    var mode: ConsentMode = .optIn

    @Option(help: ArgumentHelp("A privacy policy JSON file to use instead of the built-in one.", valueName: "FILE"))
    var policy: String?

    func run() throws {
        var chosen = PrivacyPolicy.builtIn
        if let policy {
            guard let data = FileManager.default.contents(atPath: policy) else {
                throw InputError(file: policy, message: "cannot read the policy file; check the path")
            }
            do { chosen = try PrivacyPolicy.load(json: data) } catch {
                throw InputError(file: policy, field: error.field, message: error.message)
            }
        }
        let dir = global.directory
        if try dir.initialize(mode: mode, policy: chosen) {
            print("Created \(dir.path)")
            print("  consent mode   \(mode.rawValue)")
            print("  policy         version \(chosen.version) (\(dir.policyPath))")
            print("  secret         \(ProcessInfo.processInfo.environment["TACT_SECRET"] != nil ? "from TACT_SECRET" : dir.secretPath + " (mode 0600)")")
            print("  database       \(dir.databaseDescription)")
        } else {
            let engine = try dir.open()
            print("\(dir.path) is already initialized (consent mode \(engine.configuration.consentMode.rawValue)); nothing changed.")
        }
    }
}
