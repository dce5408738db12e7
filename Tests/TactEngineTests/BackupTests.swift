import Foundation
import TactCore
import TactPrivacy
import TactRecommend
import TactStore
import TactTestSupport
import Testing

@testable import TactEngine

@Suite("Backups that honour erasure")
struct BackupTests {
    /// Every person of the fixture, by id.
    static let people = (0..<40).map { "p\($0)" } + ["eve", "fay"]

    /// The files of the backup at `folder`.
    func files(_ folder: String) throws -> [String] {
        try FileManager.default.subpathsOfDirectory(atPath: folder).map { folder + "/" + $0 }.filter { !isFolder($0) }
    }

    func isFolder(_ path: String) -> Bool {
        var folder: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &folder) && folder.boolValue
    }

    /// The user vector of `person` in a saved iALS model; nil when the model has no row for them.
    func userVector(_ person: Pseudonym, in saved: (model: ALSModel, metadata: ModelMetadata)) -> [Float]? {
        guard let row = saved.metadata.users.firstIndex(of: person.hex) else { return nil }
        let k = saved.model.userFactors.factors, stride = saved.model.userFactors.stride
        return Array(saved.model.userFactors.storage[row * stride..<row * stride + k])
    }

    @Test("a backup names no one by pseudonym: no file of it holds anyone's pseudonym, in bytes or in hex")
    func backupNamesNoOne() throws {
        let f = try RightsFixture()
        let folder = f.tmp.file("backup")
        let manifest = try BackupWriter(engine: f.engine).write(to: folder)
        #expect(manifest.people == 42 && manifest.models == ["als"] && !manifest.vault)
        #expect(manifest.interactions == f.events.count)
        let backupFiles = try files(folder)
        #expect(backupFiles.contains(folder + "/store.sqlite") && backupFiles.contains(folder + "/models/als.tactmodel"))
        for id in Self.people {
            let p = f.engine.pseudonymizer.pseudonym(for: id)
            for file in backupFiles {
                #expect(!fileContains(file, bytes: p.bytes), "\(id)'s pseudonym in \(file)")
                #expect(!fileContains(file, p.hex), "\(id)'s pseudonym in hex in \(file)")
            }
        }
        // The copy is a store of its own, where no pseudonym finds anyone (a plain copy of the file finds everyone).
        let copy = try SQLiteStore(path: folder + "/store.sqlite")
        let eve = f.engine.pseudonymizer.pseudonym(for: "eve")
        #expect(try copy.read { try $0.subjectRow(for: eve) } == nil)
        #expect(try copy.read { try $0.interactionCount() } == f.events.count)
        // Every file is private, and the manifest's checksums hold.
        for file in backupFiles { #expect(!PrivateMode.isOpen(file), "\(file) is open to others") }
        try BackupManifest.load(from: folder).verify(folder: folder)
    }

    @Test("restoring a backup taken before an erasure erases the person again: store, models and all; everyone else comes back")
    func restoreAfterErasure() throws {
        let f = try RightsFixture()
        let eve = f.engine.pseudonymizer.pseudonym(for: "eve"), p1 = f.engine.pseudonymizer.pseudonym(for: "p1")
        let folder = f.tmp.file("backup")
        _ = try BackupWriter(engine: f.engine).write(to: folder)
        let savedAtBackup = try f.savedModel()
        let before = try f.engine.store.read { r in try r.interactions(of: r.subjectRow(for: p1)!).count }
        _ = try SubjectRights(engine: f.engine).erase(user: "eve", actor: "test")
        // Events after the backup are lost by the restore, as with any restore; consent given or withdrawn since is kept.
        _ = try Ingestor(engine: f.engine).ingest(
            [IncomingInteraction(user: "p1", item: "x2", kind: .play, timestamp: 1_700_001_000)], options: IngestOptions())
        let consent = ConsentService(engine: f.engine)
        try consent.record(user: "p2", purposes: [.personalization], decision: .deny)
        try consent.record(user: "newcomer", purposes: [.advertising], decision: .deny)

        let report = try BackupRestorer(directory: f.engine.directory).restore(from: folder, replace: true, vaultFromBackup: false)
        #expect(report.people == 42 && report.relinked == 41 && report.unlinked == 1 && report.erasedAgain == 0)
        let engine = try f.engine.directory.open()
        #expect(try engine.store.read { try $0.subjectRow(for: eve) } == nil)
        #expect(try engine.store.read { r in try r.interactions(of: r.subjectRow(for: p1)!).count } == before)
        #expect(try engine.store.read { try $0.interactionCount() } == f.events.count - 8)
        #expect(report.consentCarried >= 2, "records made in the second of the backup are carried too (a duplicate changes nothing)")
        func decision(_ user: String, _ purpose: Purpose) throws -> ConsentDecision? {
            try engine.store.read { r in try r.subjectRow(for: engine.pseudonymizer.pseudonym(for: user)).map { try r.consentState(of: $0) } }?
                .decision(for: purpose)
        }
        #expect(try decision("p2", .personalization) == .deny && decision("p2", .modelTraining) == .grant)
        #expect(try decision("newcomer", .advertising) == .deny)
        let (_, metadata) = try ModelFile.read(from: f.modelPath)
        #expect(metadata.users.count == 41 && !metadata.users.contains(eve.hex) && metadata.users.contains(p1.hex))
        // The people restored keep their own vectors (p1's as the backup's model held it; the erasure re-solves items only).
        #expect(userVector(p1, in: savedAtBackup) == userVector(p1, in: try f.savedModel()))
        let verification = try AuditLog(directory: engine.directory, store: engine.store).verify()
        #expect(verification.isIntact, "\(verification.problems)")
    }

    @Test("with the vault from the backup, an erasure after it is applied again from the replaced store's record")
    func restoreWithTheBackupsVault() throws {
        let f = try RightsFixture()
        let eve = f.engine.pseudonymizer.pseudonym(for: "eve")
        let folder = f.tmp.file("backup")
        let manifest = try BackupWriter(engine: f.engine).write(to: folder, withVault: true)
        #expect(manifest.vault && manifest.files["keys.sqlite"] != nil)
        _ = try SubjectRights(engine: f.engine).erase(user: "eve", actor: "test")
        try FileManager.default.removeItem(atPath: f.engine.directory.keyVaultPath)

        let report = try BackupRestorer(directory: f.engine.directory).restore(from: folder, replace: true, vaultFromBackup: true)
        #expect(report.unlinked == 0 && report.erasedAgain == 1 && report.relinked == 42)
        let engine = try f.engine.directory.open()
        #expect(try engine.store.read { try $0.subjectRow(for: eve) } == nil)
        #expect(try engine.vault.wrappedKeys(for: [eve])[eve] == nil, "the key the backup's vault held is shredded again")
        #expect(!(try ModelFile.read(from: f.modelPath).metadata.users.contains(eve.hex)))
    }

    @Test("a restore refuses an altered backup, or a store it would replace without --replace, and changes nothing")
    func restoreRefuses() throws {
        let f = try RightsFixture()
        let folder = f.tmp.file("backup")
        _ = try BackupWriter(engine: f.engine).write(to: folder)
        let store = f.engine.directory.databasePath
        try (f.engine.store as! SQLiteStore).checkpoint()
        let original = FileManager.default.contents(atPath: store)
        #expect(throws: EngineError.self) { try BackupRestorer(directory: f.engine.directory).restore(from: folder, replace: false, vaultFromBackup: false) }
        #expect(throws: EngineError.self) { try BackupRestorer(directory: f.engine.directory).restore(from: folder, replace: true, vaultFromBackup: true) }
        let model = folder + "/models/als.tactmodel"
        var bytes = try #require(FileManager.default.contents(atPath: model))
        bytes[bytes.count - 1] ^= 1
        try bytes.write(to: URL(fileURLWithPath: model))
        do {
            _ = try BackupRestorer(directory: f.engine.directory).restore(from: folder, replace: true, vaultFromBackup: false)
            Issue.record("an altered backup was restored")
        } catch let error as EngineError {
            #expect("\(error)".contains("als.tactmodel"))
        }
        #expect(FileManager.default.contents(atPath: store) == original)
        #expect(!FileManager.default.fileExists(atPath: store + ".restoring"))
        // Through another vault, nobody maps back: refused (a wrong vault), not everyone erased.
        try bytes.write(to: URL(fileURLWithPath: model))  // (still altered: restore the checksum first)
        var manifest = try BackupManifest.load(from: folder)
        manifest.files["models/als.tactmodel"] = try BackupManifest.checksum(model)
        try manifest.save(to: folder)
        let elsewhere = DataDirectory(path: f.engine.directory.path, environment: ["TACT_KEY_VAULT_URL": f.tmp.file("other-keys.sqlite")])
        do {
            _ = try BackupRestorer(directory: elsewhere).restore(from: folder, replace: true, vaultFromBackup: false)
            Issue.record("a restore through another vault erased everyone")
        } catch let error as EngineError {
            #expect("\(error)".contains("42 people in the backup cannot be tied back"), "\(error)")
        }
        #expect(FileManager.default.contents(atPath: store) == original)
        #expect(!FileManager.default.fileExists(atPath: store + ".restoring"))
        // A backup never overwrites a folder.
        #expect(throws: EngineError.self) { try BackupWriter(engine: f.engine).write(to: folder) }
    }
}
