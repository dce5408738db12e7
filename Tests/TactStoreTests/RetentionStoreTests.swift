import Foundation
import GRDB
import TactCore
import TactTestSupport
import Testing

@testable import TactStore

@Suite struct RetentionStoreTests {
    let dir = TemporaryDirectory()

    @Test(arguments: StoreBackend.available) func deletesAndClearsOnlyBeforeTheCutoff(_ backend: StoreBackend) throws {
        let db = try TestStore(backend)
        let store = try db.open()
        try store.write { w in
            let s = try w.insertSubject(Pseudonym(bytes: Array(repeating: 1, count: 32)), createdAt: 0)
            let i = try w.ensureItem(id: "i")
            for t: Int64 in [10, 20, 30] { try w.insertInteraction(subject: s, item: i, kind: .play, value: 1, timestamp: t, context: "note \(t)") }
            try w.insertInteraction(subject: s, item: i, kind: .play, value: 1, timestamp: 5, context: nil)
        }
        #expect(try store.write { try $0.deleteInteractions(before: 10) } == 1)  // 5 only: the cutoff itself stays
        #expect(try store.write { try $0.clearContexts(before: 30) } == 2)  // 10 and 20
        #expect(try store.write { try $0.clearContexts(before: 30) } == 0)  // already empty
        var left: [(Int64, String?)] = []
        try store.read { r in try r.forEachInteraction { left.append(($0.timestamp, $0.context)) } }
        #expect(left.map(\.0) == [10, 20, 30])
        #expect(left.map(\.1) == [nil, nil, "note 30"])
    }

    @Test(arguments: StoreBackend.available) func runsAndPolicyVersionsRoundTrip(_ backend: StoreBackend) throws {
        let db = try TestStore(backend)
        let store = try db.open()
        let run = RetentionRun(
            ranAt: 100, actor: "retention", policyVersion: "1",
            categories: [
                .init(name: "interactions", retentionDays: 730, cutoff: 7, action: .deleted, count: 3),
                .init(name: "audit", retentionDays: 2190, action: .notApplied, note: "the audit log is append-only")
            ])
        let first = try store.write { try $0.appendRetentionRun(run) }
        let second = try store.write { try $0.appendRetentionRun(run) }
        #expect(second > first)
        let runs = try store.read { try $0.retentionRuns(limit: 10) }
        #expect(runs.map(\.id) == [second, first])
        var expected = run
        expected.id = first
        #expect(runs[1] == expected)
        #expect(runs[1].total == 3)
        #expect(runs[1].categories[1].summary == "not applied: the audit log is append-only")

        try store.write { try $0.insertPolicyVersion(PolicyVersionRecord(version: "1", json: "{}", firstSeenAt: 5)) }
        #expect(try store.read { try $0.policyVersions() } == [PolicyVersionRecord(version: "1", json: "{}", firstSeenAt: 5)])
        // A recorded version is never replaced or changed.
        #expect(throws: (any Error).self) { try store.write { try $0.insertPolicyVersion(PolicyVersionRecord(version: "1", json: "[]", firstSeenAt: 6)) } }
        #expect(throws: (any Error).self) { try db.rawExecute("UPDATE policy_versions SET policy = '[]'") }
        #expect(throws: (any Error).self) { try db.rawExecute("DELETE FROM policy_versions") }
        #expect(try store.read { try $0.policyVersions() }.count == 1)
    }
}
