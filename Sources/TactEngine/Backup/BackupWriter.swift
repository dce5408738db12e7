import Foundation
import TactCore
import TactRecommend
import TactStore

/// `tact backup`: a consistent copy of the store, the models (and, when asked, the key vault) taken while
/// servers keep running, in which no one is named by pseudonym. Each person goes by their backup link
/// (`BackupLinks`), which only the key vault can map back: once erasure shreds a person's key, what the
/// backup holds of them can no longer be tied to them, and a restore drops it (`BackupRestorer`).
public struct BackupWriter {
    public let engine: Engine

    public init(engine: Engine) { self.engine = engine }

    /// Writes a backup into the new folder `folder` (built beside it, then renamed: a folder that exists is a whole
    /// backup). With `withVault`, the key vault is copied too: that copy maps the links back, so keep it apart
    /// from the rest, for a shorter time (docs/backup.md).
    public func write(to folder: String, withVault: Bool = false) throws -> BackupManifest {
        guard let store = engine.store as? SQLiteStore else {
            throw EngineError.invalidArgument(
                "tact backup copies the embedded SQLite store; a PostgreSQL store is not supported yet (docs/backup.md says what to do meanwhile)")
        }
        let vaultFile = engine.vault as? SQLiteKeyVault
        if withVault, vaultFile == nil {
            throw EngineError.invalidArgument("--with-vault copies a key vault kept in a SQLite file; this one is in PostgreSQL")
        }
        let fm = FileManager.default
        guard !fm.fileExists(atPath: folder) else { throw EngineError.invalidArgument("\(folder) exists; name a new folder for the backup") }
        let partial = folder + ".partial"
        try? fm.removeItem(atPath: partial)
        do {
            try fm.createDirectory(atPath: partial + "/models", withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw EngineError.invalidArgument("cannot create the backup folder \(partial): \(error.localizedDescription)")
        }
        do {
            let manifest = try copy(store: store, vault: withVault ? vaultFile : nil, into: partial)
            try manifest.save(to: partial)
            PrivateMode.applyToTree(partial)
            try fm.moveItem(atPath: partial, toPath: folder)
            try engine.store.write { w in
                try w.appendAudit(
                    AuditEntry(
                        at: manifest.createdAt, actor: "cli", action: "backup.written",
                        detail: "people=\(manifest.people) interactions=\(manifest.interactions) models=\(manifest.models.count) vault=\(withVault)"))
            }
            return manifest
        } catch {
            try? fm.removeItem(atPath: partial)
            throw error
        }
    }

    /// Copies everything into `folder` under the model lock, which every erasure and model save takes: no one is
    /// erased while their link is made, and the models are those that went with the store.
    private func copy(store: SQLiteStore, vault: SQLiteKeyVault?, into folder: String) throws -> BackupManifest {
        let directory = engine.directory
        let models = ModelDirectory(directory: directory)
        let links = BackupLinks(keyring: engine.keyring, vault: engine.vault)
        var copied: [String] = []
        var counts = (people: 0, interactions: 0)
        let createdAt = Int64(Date().timeIntervalSince1970)
        try ModelArtifacts(engine: engine).withLock {
            let storeCopy = folder + "/" + BackupFiles.store
            try SQLiteSnapshot.copy(of: store, to: storeCopy)
            let snapshot = try SQLiteSnapshot(path: storeCopy)
            let people = try snapshot.subjectNames().map(Pseudonym.init(bytes:))
            let linkOf = try links.links(for: people)
            try snapshot.rename(Dictionary(uniqueKeysWithValues: linkOf.map { ($0.key.bytes, $0.value) }))
            counts = try snapshot.counts()
            if let vault { try vault.snapshot(to: folder + "/" + BackupFiles.vault) }
            for algorithm in ModelAlgorithms.names {
                let source = models.modelPath(algorithm: algorithm)
                guard FileManager.default.fileExists(atPath: source) else { continue }
                // People in a model but not in the store are named by their link if they hold a key, else by
                // nothing that can be traced (random bytes): a restore drops both kinds it cannot map back.
                try BackupModelFile.copy(from: source, to: folder + "/" + BackupFiles.model(algorithm)) { users in
                    let strays = users.compactMap(Pseudonym.init(hex:)).filter { linkOf[$0] == nil }
                    let strayLinks = try links.existingLinks(for: strays)
                    return users.map { hex in
                        guard let person = Pseudonym(hex: hex) else { return hex }
                        return Hex.encode(linkOf[person] ?? strayLinks[person] ?? (0..<32).map { _ in UInt8.random(in: .min ... .max) })
                    }
                }
                copied.append(algorithm)
            }
        }
        // Copied as they are: the same names in the data directory.
        for name in [BackupFiles.searchChoice, BackupFiles.config, BackupFiles.policy, BackupFiles.auditCheckpoints] {
            let source = directory.path + "/" + name
            if FileManager.default.fileExists(atPath: source) { try FileManager.default.copyItem(atPath: source, toPath: folder + "/" + name) }
        }
        var files: [String: String] = [:]
        for name in try FileManager.default.subpathsOfDirectory(atPath: folder) where !Self.isFolder(folder + "/" + name) {
            files[name] = try BackupManifest.checksum(folder + "/" + name)
        }
        return BackupManifest(
            format: BackupManifest.currentFormat, createdAt: createdAt, store: "sqlite", people: counts.people, interactions: counts.interactions,
            models: copied, vault: vault != nil, files: files)
    }

    private static func isFolder(_ path: String) -> Bool {
        var folder: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &folder) && folder.boolValue
    }
}
