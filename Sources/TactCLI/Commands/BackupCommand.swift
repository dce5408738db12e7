import ArgumentParser
import Foundation
import TactEngine

struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the store and the models into a new folder, while servers keep running, naming no one by pseudonym.",
        discussion: """
            In the copy each person goes by a link made from their own key in the key vault. Erasure \
            shreds that key, so once a person is erased, what an earlier backup holds of them can no \
            longer be tied to them, and 'tact restore' drops it. The secret is never copied; keep it \
            apart. --with-vault copies the key vault too: that copy does tie people back, so keep it \
            apart from the rest and for a shorter time (docs/backup.md).

            Examples:
              tact backup /backups/tact-2027-01-01
              tact backup /backups/tact-2027-01-01 --with-vault
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("The folder to create for the backup (it must not exist).", valueName: "FOLDER"))
    var folder: String
    @Flag(help: "Copy the key vault too (keys.sqlite), for when the vault itself is lost.")
    var withVault = false

    func run() throws {
        let manifest = try BackupWriter(engine: global.openExisting()).write(to: folder, withVault: withVault)
        print(
            "Backed up \(grouped(manifest.people)) people, \(grouped(manifest.interactions)) events and \(manifest.models.count) model(s) to \(folder)"
                + (manifest.vault ? ", with the key vault." : "."))
    }
}

struct RestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Put a backup back into the data directory (servers stopped), erasing again everyone erased since.",
        discussion: """
            The backup is checked whole before anything changes. People whose key the vault no longer \
            holds were erased after the backup: their data is erased again, models included; so is \
            anyone whose erasure the replaced store records as completed after the backup. Consent \
            given or withdrawn and restrictions set since the backup are kept; events since are lost. The data \
            directory needs the installation's secret (secret.key or TACT_SECRET) and its key vault, \
            or --vault-from-backup for a backup taken with --with-vault.

            Examples:
              tact restore /backups/tact-2027-01-01 --replace
              tact restore /backups/tact-2027-01-01 --data ./new-dir --vault-from-backup
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("The backup folder.", valueName: "FOLDER"))
    var folder: String
    @Flag(help: "Replace the store the data directory holds (what happened after the backup is lost).")
    var replace = false
    @Flag(help: "Use the key vault the backup holds instead of the data directory's (replacing it).")
    var vaultFromBackup = false
    @Flag(
        help: "Erase the people the vault cannot tie back even when they are more than half of the backup (refused without it: a wrong vault looks like that).")
    var eraseUnlinked = false

    func run() throws {
        let report = try BackupRestorer(directory: global.directory).restore(
            from: folder, replace: replace, vaultFromBackup: vaultFromBackup, eraseUnlinked: eraseUnlinked)
        print(
            "Restored the backup of \(dateText(report.backupCreatedAt)): \(grouped(report.people)) people, \(grouped(report.interactions)) events, \(report.models.count) model(s)."
        )
        print("  \(grouped(report.unlinked)) erased since (their key was shredded): erased again")
        print("  \(grouped(report.erasedAgain)) more whose erasure the replaced store recorded: erased again")
        print("  \(grouped(report.consentCarried)) consent records made since the backup: kept")
        if let previous = report.previousCheckpoints { print("  the replaced audit checkpoints are kept in \(previous)") }
    }
}
