import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import ServiceLifecycle
import TactCore
import TactEngine
import TactStore
import TactTestSupport
import Testing

@testable import TactServer

/// Reads of personal data reach the audit log: batched, counted, none lost, and checkpointed at shutdown.
@Suite struct AuditRecordingTests {
    static func read(_ n: Int, at: Int64 = 1_700_000_000) -> AuditRecorder.Read {
        AuditRecorder.Read(
            at: at, actor: "key:k1", action: "GET /v1/people/{person}/recommendations",
            subject: Pseudonym(bytes: Array(repeating: UInt8(n % 251), count: 31) + [UInt8(n / 251)]),
            purpose: .personalization, status: 200)
    }

    /// The audit handle the log names a person by (never their pseudonym).
    static func handle(_ store: some Store, _ subject: Pseudonym) throws -> [UInt8]? {
        try store.read { r in try r.subjectRow(for: subject).flatMap { try r.auditHandle(of: $0) } }
    }

    /// The number of requests the log's read entries account for.
    static func requestsRecorded(_ store: some Store, action: String? = nil, subject: Pseudonym? = nil) throws -> Int {
        var total = 0
        let handle = try subject.flatMap { try Self.handle(store, $0) }
        try store.read { r in
            try r.forEachAuditRow(after: 0) { row in
                if let action, row.action != action { return true }
                if subject != nil, row.subject != handle { return true }
                if let n = row.detail.split(separator: " ").first(where: { $0.hasPrefix("requests=") }).flatMap({ Int($0.dropFirst(9)) }) { total += n }
                return true
            }
        }
        return total
    }

    @Test("many recorded reads are appended in few transactions, and a flush loses none")
    func batches() async throws {
        let tmp = TemporaryDirectory("tact-recorder")
        let store = try SQLiteStore(path: tmp.file("t.sqlite"))
        let log = AuditLog(directory: DataDirectory(path: tmp.path, environment: [:]), store: store)
        let recorder = AuditRecorder(log: log, logger: Logger(label: "test"), interval: .seconds(3600), batchSize: 512)
        // 20,000 requests from 8 threads: 4,000 people asked 5 times each.
        await withTaskGroup(of: Void.self) { group in
            for t in 0..<8 {
                group.addTask {
                    for i in stride(from: t, to: 20_000, by: 8) { recorder.record(Self.read(i % 4_000)) }
                }
            }
        }
        await recorder.flush()
        let totals = recorder.totals
        #expect(totals.reads == 20_000)
        #expect(totals.transactions >= 8 && totals.transactions <= 40, "\(totals)")
        #expect(totals.entries >= 4_000 && totals.entries < 20_000, "\(totals)")
        #expect(try Self.requestsRecorded(store) == 20_000)
        #expect(try store.read { try $0.lastAuditRow()?.id } == Int64(totals.entries))
        let verification = try AuditLog(directory: DataDirectory(path: tmp.path, environment: [:]), store: store).verify()
        #expect(verification.isIntact && verification.entries == Int64(totals.entries))
    }

    @Test("requests under /v1/people/{person}/ are recorded with who, route, pseudonym, purpose and status")
    func middlewareRecordsReads() async throws {
        let fixture = try ServerFixture()
        let keys = fixture.keys
        try await fixture.test { client async throws in
            for _ in 0..<3 { #expect(try await client.call(.get, "/v1/people/p0/recommendations", auth: keys[.recommend]!).status == 200) }
            #expect(try await client.call(.get, "/v1/people/p0/placements", auth: keys[.recommend]!).status == 200)
            #expect(try await client.call(.get, "/v1/people/p1/consent", auth: keys[.subjects]!).status == 200)
            #expect(
                try await client.call(.post, "/v1/people/p%202/consent", auth: keys[.subjects], json: #"{"decisions":{"analytics":"grant"}}"#).status == 200)
            #expect(try await client.call(.get, "/v1/people/p3/recommendations").status == 401)  // no caller: nothing to record
            #expect(try await client.call(.get, "/v1/people/p3/recommendations", auth: keys[.ingest]!).status == 403)
            #expect(try await client.call(.get, "/v1/items/r1/similar", auth: keys[.recommend]!).status == 200)  // no person
        }
        await fixture.api.flushAudit()
        let store = fixture.engine.store
        let pseudonym = { (user: String) in fixture.engine.pseudonymizer.pseudonym(for: user) }
        #expect(try Self.requestsRecorded(store, action: "GET /v1/people/{person}/recommendations", subject: pseudonym("p0")) == 3)
        #expect(try Self.requestsRecorded(store, action: "GET /v1/people/{person}/placements", subject: pseudonym("p0")) == 1)
        #expect(try Self.requestsRecorded(store, action: "GET /v1/people/{person}/consent", subject: pseudonym("p1")) == 1)
        #expect(try Self.requestsRecorded(store, action: "GET /v1/people/{person}/recommendations", subject: pseudonym("p3")) == 1)  // the 403
        #expect(try Self.requestsRecorded(store, action: "POST /v1/people/{person}/consent") == 0)  // audited in its own transaction
        let rows = try store.read { try $0.recentAuditRows(limit: 1000) }
        #expect(rows.contains { $0.action == "consent.grant" && $0.subject == (try? Self.handle(store, pseudonym("p 2"))) ?? nil })
        #expect(!rows.contains { $0.subject == pseudonym("p0").bytes }, "the log names people by handle, never by pseudonym")
        #expect(!rows.contains { $0.action.contains("/v1/items/") })
        let read = try #require(rows.first { $0.action == "GET /v1/people/{person}/placements" })
        #expect(read.purpose == "advertising" && read.detail == "status=200 requests=1" && read.actor.hasPrefix("key:"))
        let p3 = try Self.handle(store, pseudonym("p3"))
        let refused = try #require(rows.first { $0.subject == p3 })
        #expect(refused.detail.hasPrefix("status=403") && refused.purpose == "personalization")
        #expect(rows.first { $0.action == "GET /v1/people/{person}/consent" }?.purpose == "essential")
        #expect(try fixture.engine.audit.verify().isIntact)
    }

    @Test("at graceful shutdown the recorder flushes, then the checkpointer signs what it flushed")
    func shutdownFlushesThenCheckpoints() async throws {
        let tmp = TemporaryDirectory("tact-recorder")
        let directory = DataDirectory(path: tmp.path, environment: [:])
        let store = try SQLiteStore(path: tmp.file("t.sqlite"))
        let log = AuditLog(directory: directory, store: store)
        let key = try AuditSigningKey.loadOrCreate(in: directory).key
        let recorder = AuditRecorder(log: log, logger: Logger(label: "test"), interval: .seconds(3600))
        let checkpointer = AuditCheckpointer(log: log, key: key, interval: 3600, logger: Logger(label: "test"))
        let group = ServiceGroup(configuration: .init(services: [checkpointer, recorder], logger: Logger(label: "test")))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            for i in 0..<100 { recorder.record(Self.read(i)) }
            try await Task.sleep(for: .milliseconds(50))
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(try Self.requestsRecorded(store) == 100)
        let result = try log.verify()
        #expect(result.isIntact, "\(result.problems)")
        #expect(result.lastCheckpoint?.entryID == 100 && result.lastCheckpoint?.number == 1)
    }
}
