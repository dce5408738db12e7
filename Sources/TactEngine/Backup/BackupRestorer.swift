import Foundation
import TactCore
import TactPrivacy
import TactRecommend
import TactStore

/// `tact restore`: puts a backup (`BackupWriter`) back into a data directory whose servers are stopped, and
/// applies again every erasure completed since the backup was taken:
///
/// - people whose key the vault no longer holds (shredded by an erasure) cannot be tied back, and are erased;
/// - people tied back whose erasure the replaced store records as completed after the backup are erased too
///   (this matters when the vault itself comes from the backup, `--vault-from-backup`);
/// - consent recorded and restrictions set since are kept (`LaterDecisions`): going back in time must not
///   undo a withdrawal. Events and other changes since the backup are lost, as with any restore.
///
/// Nothing in the data directory changes until the backup has been checked whole and staged beside it.
public struct BackupRestorer {
    public let directory: DataDirectory

    public init(directory: DataDirectory) { self.directory = directory }

    /// With `eraseUnlinked` false, a restore where more than half the backup's people (and more than 10) cannot be
    /// tied back stops before anything changes: that is a wrong key vault far more often than that many erasures.
    public func restore(from folder: String, replace: Bool, vaultFromBackup: Bool, eraseUnlinked: Bool = false) throws -> RestoreReport {
        let manifest = try BackupManifest.load(from: folder)
        try manifest.verify(folder: folder)
        guard !directory.usesPostgres else {
            throw EngineError.invalidArgument("tact restore writes the embedded SQLite store; this data directory uses PostgreSQL")
        }
        let fm = FileManager.default
        let hadStore = fm.fileExists(atPath: directory.databasePath)
        guard !hadStore || replace else {
            throw EngineError.invalidArgument(
                "\(directory.path) holds a store already; --replace replaces it with the backup (what happened after \(Self.time(manifest.createdAt)) is lost; back it up first if you may need it)"
            )
        }
        let secret = try checkedSecret(folder: folder)
        let (people, stagedVault) = try peopleBehindLinks(folder: folder, manifest: manifest, fromBackup: vaultFromBackup, secret: secret)
        // What the replaced store learned since the backup and must not be lost: erasures, consent, restrictions.
        var journal: Set<[UInt8]> = []
        var later: LaterDecisions?
        if hadStore {
            let replaced = try SQLiteStore(path: directory.databasePath)
            journal = try Self.erasures(in: replaced, since: manifest.createdAt)
            later = try LaterDecisions(from: replaced, since: manifest.createdAt)
        }
        var report = RestoreReport(backupCreatedAt: manifest.createdAt)

        // Staged beside the live files, names mapped back; then moved into place.
        let staged = directory.databasePath + ".restoring"
        try? fm.removeItem(atPath: staged)
        PrivateMode.createFile(staged)
        try Data(contentsOf: URL(fileURLWithPath: folder + "/" + BackupFiles.store)).write(to: URL(fileURLWithPath: staged))
        var unlinked: [[UInt8]] = []
        var relinked: [Pseudonym] = []
        do {
            let snapshot = try SQLiteSnapshot(path: staged)
            let names = try snapshot.subjectNames()
            for name in names {
                if let person = people[name] { relinked.append(person) } else { unlinked.append(name) }
            }
            if !eraseUnlinked, unlinked.count > max(10, names.count / 2) {
                for file in [staged, stagedVault].compactMap({ $0 }) { try? FileManager.default.removeItem(atPath: file) }
                throw EngineError.invalidArgument(
                    "\(unlinked.count) of the \(names.count) people in the backup cannot be tied back through this key vault, so the restore would erase them; nothing was changed. Most likely this is not the vault the backup was taken with: restore that vault first, or use --vault-from-backup. If they really were erased since, run again with --erase-unlinked"
                )
            }
            try snapshot.rename(Dictionary(uniqueKeysWithValues: names.compactMap { name in people[name].map { (name, $0.bytes) } }))
            (report.people, report.interactions) = try snapshot.counts()
        }
        let models = ModelDirectory(directory: directory)
        try models.create()
        for algorithm in manifest.models {
            try BackupModelFile.copy(from: folder + "/" + BackupFiles.model(algorithm), to: models.modelPath(algorithm: algorithm) + ".restoring") {
                $0.map { hex in Hex.decode(hex).flatMap { people[$0]?.hex } ?? hex }
            }
        }
        if let stagedVault {
            for suffix in ["", "-wal", "-journal"] { try? fm.removeItem(atPath: directory.keyVaultPath + suffix) }
            try fm.moveItem(atPath: stagedVault, toPath: directory.keyVaultPath)
        }
        report.previousCheckpoints = try moveIntoPlace(staged: staged, folder: folder, manifest: manifest)
        report.models = manifest.models
        report.relinked = relinked.count
        report.unlinked = unlinked.count

        // Erasures since the backup, as erasures: the store, the models (patched and published), the vault.
        let engine = try directory.open()
        let rights = SubjectRights(engine: engine)
        for name in unlinked { _ = try rights.erase(pseudonym: Pseudonym(bytes: name), actor: Self.actor) }
        for person in relinked where journal.contains(engine.requestReferences.reference(for: person)) {
            _ = try rights.erase(pseudonym: person, actor: Self.actor)
            report.erasedAgain += 1
        }
        let now = Int64(Date().timeIntervalSince1970)
        if let later {
            try later.apply(to: engine.store, at: now)
            report.consentCarried = later.consentRecords
        }
        try engine.store.write { w in
            try w.appendAudit(
                AuditEntry(
                    at: now, actor: Self.actor, action: "backup.restored",
                    detail:
                        "taken=\(manifest.createdAt) people=\(report.people) unlinked=\(report.unlinked) erased_again=\(report.erasedAgain) consent_carried=\(report.consentCarried) models=\(report.models.count)"
                ))
        }
        return report
    }

    static let actor = "restore"

    /// The installation's secret (TACT_SECRET or the directory's secret.key; backups never hold it), checked
    /// against the backup's configuration. A directory not initialized yet gets the backup's configuration and policy.
    private func checkedSecret(folder: String) throws -> SecretKey {
        let backupConfig = try TactConfiguration.load(path: folder + "/" + BackupFiles.config)
        guard let secret = try SecretFile.fromEnvironment(directory.environment) ?? (try? SecretFile.load(path: directory.secretPath)) else {
            throw EngineError.invalidArgument(
                "no secret: put the installation's secret.key in \(directory.path) or set TACT_SECRET (a backup never holds it)")
        }
        guard SecretFile.checkValue(secret) == backupConfig.secretCheck else {
            throw EngineError.invalidArgument("the backup was taken under another secret than this installation's; restore it with that secret")
        }
        if !directory.isInitialized {
            try FileManager.default.createDirectory(atPath: directory.path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            for name in [BackupFiles.policy, BackupFiles.config] where FileManager.default.fileExists(atPath: folder + "/" + name) {
                try? FileManager.default.removeItem(atPath: directory.path + "/" + name)
                try FileManager.default.copyItem(atPath: folder + "/" + name, toPath: directory.path + "/" + name)
            }
        }
        return secret
    }

    /// The person behind each link, through the data directory's own vault, or (`fromBackup`) through the backup's
    /// copy, staged beside the live vault (returned) to replace it once everything else is staged.
    private func peopleBehindLinks(folder: String, manifest: BackupManifest, fromBackup: Bool, secret: SecretKey) throws -> (
        [[UInt8]: Pseudonym], stagedVault: String?
    ) {
        let keyring = SubjectKeyring(secret: secret)
        let external = directory.environment["TACT_KEY_VAULT_URL"].map { !$0.isEmpty } ?? false
        guard fromBackup else {
            guard external || FileManager.default.fileExists(atPath: directory.keyVaultPath) else {
                throw EngineError.invalidArgument(
                    "there is no key vault at \(directory.keyVaultPath): without it no one in the backup can be tied back. Put back the vault's own backup, or use --vault-from-backup if this backup holds one"
                )
            }
            return (try BackupLinks(keyring: keyring, vault: directory.openKeyVault()).people(), nil)
        }
        guard manifest.vault else {
            throw EngineError.invalidArgument("--vault-from-backup: this backup holds no key vault (it was taken without --with-vault)")
        }
        guard !external else { throw EngineError.invalidArgument("--vault-from-backup replaces keys.sqlite, but TACT_KEY_VAULT_URL names another vault") }
        let staged = directory.keyVaultPath + ".restoring"
        try? FileManager.default.removeItem(atPath: staged)
        PrivateMode.createFile(staged)
        try Data(contentsOf: URL(fileURLWithPath: folder + "/" + BackupFiles.vault)).write(to: URL(fileURLWithPath: staged))
        return (try BackupLinks(keyring: keyring, vault: SQLiteKeyVault(path: staged)).people(), staged)
    }

    /// The references of the erasures `store` records as completed at or after `time`.
    private static func erasures(in store: any Store, since time: Int64) throws -> Set<[UInt8]> {
        let requests = try store.read { try $0.subjectRequests(reference: nil) }
        return Set(requests.filter { $0.kind == .erasure && $0.status == .completed && ($0.completedAt ?? 0) >= time }.map(\.reference))
    }

    /// Moves the staged store and models into place, with the backup's search choice and audit checkpoints;
    /// returns where the replaced checkpoints were kept.
    private func moveIntoPlace(staged: String, folder: String, manifest: BackupManifest) throws -> String? {
        let fm = FileManager.default
        let models = ModelDirectory(directory: directory)
        for suffix in ["-wal", "-shm"] { try? fm.removeItem(atPath: directory.databasePath + suffix) }
        guard rename(staged, directory.databasePath) == 0 else {
            throw EngineError.invalidArgument("cannot move the restored store into place at \(directory.databasePath): \(String(cString: strerror(errno)))")
        }
        // Models trained after the backup go: they were trained on data the restored store no longer holds.
        for name in (try? fm.contentsOfDirectory(atPath: models.path)) ?? [] where name.hasSuffix(".tactmodel") || name == "search.json" {
            try fm.removeItem(atPath: models.path + "/" + name)
        }
        for algorithm in manifest.models {
            let path = models.modelPath(algorithm: algorithm)
            try fm.moveItem(atPath: path + ".restoring", toPath: path)
        }
        if fm.fileExists(atPath: folder + "/" + BackupFiles.searchChoice) {
            try fm.copyItem(atPath: folder + "/" + BackupFiles.searchChoice, toPath: directory.path + "/" + BackupFiles.searchChoice)
        }
        var previous: String?
        if fm.fileExists(atPath: directory.auditCheckpointsPath) {
            let kept = directory.auditCheckpointsPath + ".before-restore-\(Int64(Date().timeIntervalSince1970))"
            try fm.moveItem(atPath: directory.auditCheckpointsPath, toPath: kept)
            previous = kept
        }
        if fm.fileExists(atPath: folder + "/" + BackupFiles.auditCheckpoints) {
            try fm.copyItem(atPath: folder + "/" + BackupFiles.auditCheckpoints, toPath: directory.auditCheckpointsPath)
        }
        PrivateMode.applyToTree(directory.path)
        return previous
    }

    private static func time(_ seconds: Int64) -> String {
        ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }
}
