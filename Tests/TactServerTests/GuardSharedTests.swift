import Foundation
import TactCore
import TactEngine
import TactGuard
import TactStore
import TactTestSupport
import Testing

@testable import TactServer

/// The Guard across servers sharing one database, and across restarts: a scrape spread over two
/// servers is caught as one scrape, two servers together admit a key's rate once, and the
/// long-horizon state is read back after a restart. (Two `GuardService`s on one store stand for two
/// servers; the store methods they use are conformance-tested on SQLite and PostgreSQL.)
@Suite struct GuardSharedTests {
    let tmp = TemporaryDirectory("tact-guard-shared")

    /// A data directory on the backend's store; the `TestStore` (a fresh PostgreSQL database) must outlive the engine.
    func engine(_ name: String = "data", backend: StoreBackend = .sqlite) throws -> (Engine, TestStore?) {
        let database = backend == .postgres ? try TestStore(.postgres) : nil
        let dir = DataDirectory(path: tmp.file(name), database: database?.address, environment: [:])
        try dir.initialize(mode: .optIn)
        return (try dir.open(), database)
    }

    func service(_ engine: Engine, shared: Bool, limiter: RateLimiter = RateLimiter(rate: 1000, burst: 2000)) -> GuardService {
        var settings = AccessMonitor.Settings()
        settings.minimumPersons = 10
        settings.floors[1] = 2  // a new key: a volume alert above 16 distinct persons in a window
        settings.observeSeconds = 0  // no first day observed: volume acts at once, and suspends
        return GuardService(
            engine: engine, keys: KeyCache(service: APIKeyService(engine: engine), lifetime: 0), limiter: limiter,
            settings: settings, response: GuardResponse(bySeverity: [.high: .suspend]), shared: shared)
    }

    /// The alerts stored once every given Guard has stored what it raised (they do it in the background).
    func alerts(_ engine: Engine, after services: GuardService...) async throws -> [GuardAlertRecord] {
        for service in services { await service.settled() }
        return try engine.store.read { try $0.guardAlerts(limit: 100) }
    }

    func reads(_ principal: String, persons: Range<Int>, at: Int64) -> [AccessEvent] {
        persons.map { AccessEvent(at: at, principal: principal, person: "p\($0)", route: "GET /v1/people/{person}/recommendations") }
    }

    @Test(
        "a scrape spread over two servers: unshared, neither sees enough; shared, one Guard sees it all and suspends the key",
        arguments: StoreBackend.available)
    func scrapeOverTwoServers(_ backend: StoreBackend) async throws {
        let (engine, database) = try engine(backend: backend)
        defer { withExtendedLifetime(database) {} }
        let key = try APIKeyService(engine: engine).create(name: "leaked", scopes: [.recommend]).record
        let principal = "key:" + key.id
        let now = Int64(Date().timeIntervalSince1970)

        // Each server alone sees 12 persons: under its limit of 16.
        let a0 = service(engine, shared: false), b0 = service(engine, shared: false)
        for e in reads(principal, persons: 0..<12, at: now) { a0.observe(e) }
        for e in reads(principal, persons: 12..<24, at: now) { b0.observe(e) }
        #expect(try await alerts(engine, after: a0, b0).isEmpty)

        // Shared: both append what they see; the lease holder's monitor sees 24 persons at once.
        let a = service(engine, shared: true), b = service(engine, shared: true)
        for e in reads(principal, persons: 100..<112, at: now) { a.observe(e) }
        for e in reads(principal, persons: 112..<124, at: now) { b.observe(e) }
        a.sync(now: now)
        b.sync(now: now)
        #expect(try await alerts(engine, after: a, b).isEmpty, "b's reads were not yet seen by the lease holder")
        a.sync(now: now + 1)
        let found = try await alerts(engine, after: a, b)
        let alert = try #require(found.first)
        #expect(alert.principal == principal && alert.kind == "volume" && alert.action == "suspend" && alert.persons > 16)
        #expect(try APIKeyService(engine: engine).list().first { $0.id == key.id }?.isSuspended == true)
        // Only the lease holder watches (b only read back what a had saved), and the alert is raised once.
        #expect(a.history(of: principal)?.persons.count == 24 && (b.history(of: principal)?.persons.count ?? 0) < 24)
        #expect(found.count == 1)
    }

    @Test(
        "two servers each asked 10 requests a second for a key limited to 10: shared, they admit about 10 a second together, not 20",
        arguments: StoreBackend.available)
    func rateLimitAcrossServers(_ backend: StoreBackend) throws {
        func admitted(shared: Bool) throws -> Int {
            let (engine, database) = try self.engine(shared ? "shared" : "alone", backend: backend)
            defer { withExtendedLifetime(database) {} }
            let la = RateLimiter(rate: 10, burst: 10), lb = RateLimiter(rate: 10, burst: 10)
            let a = service(engine, shared: shared, limiter: la), b = service(engine, shared: shared, limiter: lb)
            let epoch = Int64(Date().timeIntervalSince1970)
            var late = 0
            for second in 0..<20 {
                for j in 0..<10 {
                    let t = Double(second) + Double(j) / 10
                    if la.take("k", now: t) == nil && second >= 10 { late += 1 }
                    if lb.take("k", now: t + 0.05) == nil && second >= 10 { late += 1 }
                }
                a.sync(now: epoch + Int64(second))
                b.sync(now: epoch + Int64(second))
            }
            return late
        }
        let alone = try admitted(shared: false), together = try admitted(shared: true)
        #expect(alone >= 190, "unshared, each server admits its own 10 a second")
        #expect(together >= 70 && together <= 135, "shared: \(together) admitted in 10 s")
    }

    @Test("the long-horizon state is saved and read back by the next server process")
    func restartRemembers() async throws {
        let (engine, _) = try engine()
        let now = Int64(Date().timeIntervalSince1970)
        let first = service(engine, shared: false)
        for e in reads("key:app", persons: 0..<10, at: now) { first.observe(e) }
        first.sync(now: now, final: true)
        let next = service(engine, shared: false)
        #expect(next.history(of: "key:app") == nil)
        next.sync(now: now + 5)
        let restored = try #require(next.history(of: "key:app"))
        #expect(restored.persons.count == 10 && restored.persons.contains("p3"))
        // A damaged stored state is ignored, not fatal.
        try engine.store.write { try $0.saveGuardStates(["key:broken": [1, 2, 3]], at: now) }
        let third = service(engine, shared: false)
        third.sync(now: now + 6)
        #expect(third.history(of: "key:broken") == nil && third.history(of: "key:app") != nil)
    }
}
