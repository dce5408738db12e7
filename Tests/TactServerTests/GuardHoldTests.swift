import Foundation
import TactEngine
import TactGuard
import TactTestSupport
import Testing

@testable import TactServer

/// A suspension takes effect in memory before the answer that raised it is sent, not when the background task
/// has stored it: with the background held back, the key is refused at once, and the store catches up after.
@Suite struct GuardHoldTests {
    @Test("a key the Guard suspends is refused before the suspension is stored; once stored, the store refuses it")
    func suspensionTakesEffectBeforeItIsStored() async throws {
        let tmp = TemporaryDirectory()
        let dir = DataDirectory(path: tmp.file("data"), environment: [:])
        try dir.initialize(mode: .optIn)
        let engine = try dir.open()
        let created = try APIKeyService(engine: engine).create(name: "scraper", scopes: [.recommend])
        let keys = KeyCache(service: APIKeyService(engine: engine), lifetime: 3_600)  // a lookup is reused for an hour
        #expect(try keys.authenticate(created.key)?.id == created.record.id)
        var settings = AccessMonitor.Settings()
        settings.minimumPersons = 10
        settings.floors[1] = 2  // a new key: a volume alert above 16 distinct persons in a window
        settings.observeSeconds = 0  // no first day observed: volume acts at once, and suspends
        let dispatch = AlertDispatch(open: false)  // nothing is stored until the test opens it
        let guardian = GuardService(
            engine: engine, keys: keys, limiter: RateLimiter(rate: 1000, burst: 2000), settings: settings,
            response: GuardResponse(bySeverity: [.high: .suspend]), dispatch: dispatch)
        for person in 0..<17 {
            guardian.observe(
                AccessEvent(
                    at: 1_800_000_000, principal: "key:\(created.record.id)", person: "p\(person)",
                    route: "GET /v1/people/{person}/recommendations"))
        }
        // Held: refused at once, though the cached lookup says active and the store knows nothing yet.
        #expect(try keys.authenticate(created.key) == nil)
        #expect(try APIKeyService(engine: engine).list().first { $0.id == created.record.id }?.isSuspended == false)
        dispatch.open()
        await guardian.settled()
        let stored = try #require(try APIKeyService(engine: engine).list().first { $0.id == created.record.id })
        #expect(stored.isSuspended && stored.suspensionReason?.contains("volume") == true)
        #expect(try keys.authenticate(created.key) == nil)
    }
}
