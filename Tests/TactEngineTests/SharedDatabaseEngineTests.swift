import Foundation
import TactCore
import TactStore
import TactTestSupport
import Testing

@testable import TactEngine

/// The engine over each store (`--database`): ingestion through the consent gate, free text sealed
/// under per-person keys, withdrawal and erasure, on SQLite and on PostgreSQL alike; and the settings
/// every data directory sharing one database must agree on.
@Suite struct SharedDatabaseEngineTests {
    static func directory(_ tmp: TemporaryDirectory, _ name: String, database: String, secret: String) -> DataDirectory {
        DataDirectory(path: tmp.file(name), database: database, environment: ["TACT_SECRET": secret])
    }

    static let secret = String(repeating: "5e", count: 32)

    @Test("ingest, seal, withdraw and erase through a data directory on each store", arguments: StoreBackend.available)
    func rightsOnEachStore(_ backend: StoreBackend) throws {
        let db = try TestStore(backend)
        let tmp = TemporaryDirectory()
        let dir = Self.directory(tmp, "data", database: db.address, secret: Self.secret)
        try dir.initialize(mode: .optIn)
        let engine = try dir.open()
        var events: [IncomingInteraction] = []
        for p in 0..<3 {
            for i in 0..<5 {
                events.append(IncomingInteraction(user: "p\(p)", item: "i\(i)", kind: .play, timestamp: 1_700_000_000 + Int64(i), context: "note \(p)-\(i)"))
            }
        }
        let report = try Ingestor(engine: engine).ingest(events, options: IngestOptions(grants: [.personalization, .modelTraining], grantNote: "test"))
        #expect(report.stored == 15 && report.newSubjects == 3)
        #expect(try engine.vault.count() == 3, "one sealed key per person with free text")
        let withdrawn = try SubjectRights(engine: engine).withdraw(user: "p1", purposes: [.personalization], actor: "test")
        #expect(withdrawn.consent.decision(for: .personalization) == .deny)
        let erased = try SubjectRights(engine: engine).erase(user: "p2", actor: "test")
        #expect(erased.found && erased.removed.interactions == 5 && erased.keyShredded)
        // A second process over the same database sees all of it.
        let again = try Self.directory(tmp, "data", database: db.address, secret: Self.secret).open()
        let stats = try again.statistics()
        #expect(stats.subjects == 2 && stats.interactions == 10)
        #expect(try again.vault.count() == 2, "the erased person's key is gone")
        let p1 = again.pseudonymizer.pseudonym(for: "p1")
        #expect(try again.store.read { r in try r.subjectRow(for: p1).map { try r.consentState(of: $0) } }?.decision(for: .personalization) == .deny)
        #expect(try again.store.read { try $0.subjectRow(for: again.pseudonymizer.pseudonym(for: "p2")) } == nil)
    }

    @Test("a data directory with another secret or consent mode is refused by a database set up by another", arguments: StoreBackend.available)
    func settingsMustAgree(_ backend: StoreBackend) throws {
        let db = try TestStore(backend)
        let tmp = TemporaryDirectory()
        let first = Self.directory(tmp, "first", database: db.address, secret: Self.secret)
        try first.initialize(mode: .optIn)
        _ = try first.open()
        let otherSecret = Self.directory(tmp, "second", database: db.address, secret: String(repeating: "7a", count: 32))
        #expect {
            try otherSecret.initialize(mode: .optIn); _ = try otherSecret.open()
        } throws: { error in
            "\(error)".contains("another pseudonym secret")
        }
        let otherMode = Self.directory(tmp, "third", database: db.address, secret: Self.secret)
        #expect {
            try otherMode.initialize(mode: .optOut); _ = try otherMode.open()
        } throws: { error in
            "\(error)".contains("another consent mode")
        }
        // The same secret and mode: a second server's directory opens.
        let same = Self.directory(tmp, "fourth", database: db.address, secret: Self.secret)
        try same.initialize(mode: .optIn)
        _ = try same.open()
    }
}
