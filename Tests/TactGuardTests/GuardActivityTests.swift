import Foundation
import TactCore
import Testing

@testable import TactGuard

/// Reading people who are not using it: the activity memory (who had events lately, and for whom each key
/// sent them) and the two decisive signals built on it, "inactive" and "unsent". Time is injected.
@Suite struct GuardActivityTests {
    static let route = GuardRoleTests.route
    static let app = GuardRoleTests.app
    /// 10:00 UTC on day 11.
    static let start: Int64 = 10 * 86_400 + 10 * 3600

    // MARK: the memory

    @Test("a person is active for the window after an event, then not; events older than the window are ignored")
    func window() {
        var m = ActivityMemory()
        m.note(person: "a", at: Self.start, now: Self.start)
        m.note(person: "old", at: Self.start - 5 * 86_400, now: Self.start)
        #expect(m.isActive("a", at: Self.start))
        #expect(m.isActive("a", at: Self.start + 2 * 86_400), "two days later: still in a 3-day window")
        #expect(!m.isActive("a", at: Self.start + 3 * 86_400), "three days later: out of it")
        #expect(!m.isActive("old", at: Self.start))
        #expect(!m.isActive("b", at: Self.start))
        #expect(m.activeCount(at: Self.start) == 1)
    }

    @Test("no active person is ever taken for inactive, even in a crowded memory; inactive ones pass for active at the documented rate")
    func noFalseNegatives() {
        var settings = ActivityMemory.Settings()
        settings.slots = 1 << 16
        var m = ActivityMemory(settings: settings)
        for i in 0..<8_000 { m.note(person: "p\(i)", at: Self.start, now: Self.start) }
        #expect((0..<8_000).allSatisfy { m.isActive("p\($0)", at: Self.start) })
        // 8,000 persons, 3 slots each, in 65,536 slots: (1 − e^(−3·8000/65536))³ ≈ 2.8% pass for active.
        let passing = (0..<20_000).filter { m.isActive("q\($0)", at: Self.start) }.count
        #expect((200...900).contains(passing), "\(passing) of 20,000 inactive persons passed for active")
    }

    @Test("it judges only once it knows the whole window (filled from the store, or after its days) and enough persons were active")
    func judges() {
        var settings = ActivityMemory.Settings()
        settings.minimumActive = 10
        settings.minimumArrivals = 10
        var fresh = ActivityMemory(settings: settings)
        for i in 0..<20 { fresh.note(person: "p\(i)", at: Self.start, now: Self.start) }
        let judgedAtFirst = fresh.judges(at: Self.start)
        #expect(!judgedAtFirst, "it began today: yesterday's active persons are unknown to it")
        let later = Self.start + 3 * 86_400
        for i in 0..<20 { fresh.note(person: "p\(i)", at: later, now: later) }
        let judgedLater = fresh.judges(at: later)
        #expect(judgedLater, "a window later, it knows the window whole")
        var filled = ActivityMemory(settings: settings)
        filled.fill(Dictionary(uniqueKeysWithValues: (0..<20).map { ("p\($0)", Self.start - 86_400) }), population: 100, now: Self.start)
        let judgedFilled = filled.judges(at: Self.start), inactive = filled.inactiveShare(at: Self.start) ?? 0
        #expect(judgedFilled)
        #expect(filled.isActive("p3", at: Self.start))
        #expect(abs(inactive - 0.8) < 1e-9, "20 of 100 active")
        var few = ActivityMemory(settings: settings)
        few.fill(Dictionary(uniqueKeysWithValues: (0..<5).map { ("p\($0)", Self.start) }), population: 100, now: Self.start)
        // Filled, then not fed for a day (events reach the store some other way): it stops judging.
        let staleLater = filled.judges(at: Self.start + 86_400 + 60)
        #expect(!staleLater, "a memory not fed for a day would take the app's readers for inactive ones")
        for i in 0..<10 { filled.note(person: "q\(i)", at: Self.start + 86_400 + 60, now: Self.start + 86_400 + 60) }
        let fedAgain = filled.judges(at: Self.start + 86_400 + 120)
        #expect(fedAgain, "events arriving again feed it")
        let judgedFew = few.judges(at: Self.start)
        #expect(!judgedFew, "5 active persons: too few (old imported events, or ingestion stopped)")
    }

    @Test("a key's sending: known per key, judged after the memory has known the key for its window and it sent enough")
    func sent() {
        var settings = ActivityMemory.Settings()
        settings.minimumSent = 10
        var m = ActivityMemory(settings: settings)
        for i in 0..<20 { m.note(person: "p\(i)", at: Self.start, now: Self.start, principal: "key:web") }
        #expect(m.sent("key:web", "p3", at: Self.start))
        #expect(!m.sent("key:mobile", "p3", at: Self.start), "another key did not send it")
        #expect(m.isActive("p3", at: Self.start), "and the person is active for everyone")
        #expect(m.sentCount(by: "key:web", at: Self.start) == 20)
        #expect(!m.judgesSent(by: "key:web", at: Self.start), "what it sent before the memory began is unknown")
        let later = Self.start + 3 * 86_400
        #expect(!m.judgesSent(by: "key:web", at: later), "it has been known for a window, but sent nothing in it")
        for i in 0..<20 { m.note(person: "p\(i)", at: later, now: later, principal: "key:web") }
        #expect(m.judgesSent(by: "key:web", at: later + 3600))
        #expect(!m.judgesSent(by: "person-token:x", at: later + 3600))
    }

    // MARK: the signals

    /// A million persons; the last three days' app traffic (Zipf draws, each followed by an event) made some
    /// of them active. Returns the monitor filled as from the store, and the persons active.
    static func monitorAfterThreeDays(_ r: inout SplitMix64, draws: Int = 150_000) -> (AccessMonitor, Set<Int>) {
        var latest: [String: Int64] = [:]
        var active = Set<Int>()
        for i in 0..<draws {
            let p = GuardRoleTests.zipf(&r, persons: 1_000_000)
            active.insert(p)
            latest["p\(p)"] = Self.start - 3 * 86_400 + Int64(i) * (3 * 86_400) / Int64(draws)
        }
        var monitor = AccessMonitor()
        monitor.fillActivity(latest, population: 1_000_000, now: Self.start)
        return (monitor, active)
    }

    @Test("an app's own Zipf traffic, each read followed by the person's events, raises nothing over an hour")
    func appTrafficIsQuiet() {
        var r = SplitMix64(seed: 11)
        var (monitor, _) = Self.monitorAfterThreeDays(&r)
        var alerts: [GuardAlert] = []
        var order = IdOrder()
        for i in 0..<72_000 {
            let at = Self.start + Int64(i / 20)
            let person = "p\(GuardRoleTests.zipf(&r, persons: 1_000_000))"
            var read = AccessEvent(at: at, principal: "key:web", person: person, route: Self.route, role: Self.app)
            read.order = order.next(read.principal, id: person)
            alerts += monitor.observe(read)
            if i % 10 < 7 { alerts += monitor.observe(AccessEvent(at: at, principal: "key:web", person: person, route: "POST /v1/events", kind: .ingest)) }
        }
        alerts += monitor.close(until: Self.start + 3600 + 600)
        #expect(alerts.isEmpty, "\(alerts.prefix(3).map(\.explanation))")
    }

    @Test("a scraper that reads each person twice (half its reads fresh, so 'scrape' misses it) is stopped as reading people not using the app")
    func reReadingScraperIsCaught() throws {
        var r = SplitMix64(seed: 12)
        var (monitor, active) = Self.monitorAfterThreeDays(&r)
        var ids = Array(0..<1_000_000)
        ids.shuffle(using: &r)
        var events: [AccessEvent] = []
        for (i, p) in ids.prefix(2_000).enumerated() {
            for k in 0..<2 {
                events.append(
                    AccessEvent(at: Self.start + Int64((2 * i + k) / 50), principal: "key:leaked", person: "p\(p)", route: Self.route, role: Self.app))
            }
        }
        let alerts = GuardRoleTests.feed(events, monitor: &monitor)
        let first = try #require(alerts.first)
        #expect(first.kind == "inactive" && first.decisive, "\(first.kind): \(first.explanation)")
        #expect(first.persons < 200, "\(first.persons) reads of inactive persons before the alert")
        #expect(first.explanation.contains("not the people using it"))
        #expect(!alerts.contains { $0.kind == "scrape" }, "the re-reads hid it from 'scrape'")
        #expect(Double(active.count) / 1e6 < 0.1, "most of the population is inactive, as in a real service")
        #expect(GuardResponse.standard.action(for: first) == .suspend)
    }

    @Test("a key that sends events reading persons it never sent one for (another app's audience, all active) is stopped")
    func unsentIsCaught() throws {
        var monitor = AccessMonitor()
        let day: Int64 = 86_400
        // Three days: key:web sends events for its audience p0…p2999, key:mobile for q0…q2999.
        for d in 0..<3 {
            let at = Self.start - 3 * day + Int64(d) * day
            for i in 0..<3_000 {
                _ = monitor.observe(AccessEvent(at: at + Int64(i), principal: "key:web", person: "p\(i)", route: "POST /v1/events", kind: .ingest))
                _ = monitor.observe(AccessEvent(at: at + Int64(i), principal: "key:mobile", person: "q\(i)", route: "POST /v1/events", kind: .ingest))
            }
        }
        var r = SplitMix64(seed: 13)
        // Its own audience: quiet.
        let own = (0..<3_000).map { i in
            AccessEvent(at: Self.start + Int64(i / 20), principal: "key:web", person: "p\(Int(r.next() % 3_000))", route: Self.route, role: Self.app)
        }
        #expect(GuardRoleTests.feed(own, monitor: &monitor).filter { $0.kind == "unsent" || $0.kind == "inactive" }.isEmpty)
        // The leaked copy reads the other app's persons, each a few times (so 'scrape' is slow to see it).
        let later = Self.start + 3600
        let leaked = (0..<3_000).map { i in
            AccessEvent(at: later + Int64(i / 20), principal: "key:web", person: "q\(Int(r.next() % 600))", route: Self.route, role: Self.app)
        }
        let alerts = GuardRoleTests.feed(leaked, monitor: &monitor)
        let first = try #require(alerts.first { $0.kind == "unsent" }, "\(alerts.map(\.kind))")
        #expect(first.decisive && first.persons < 100, "\(first.explanation)")
        #expect(first.explanation.contains("never sent an event for"))
        #expect(!alerts.contains { $0.kind == "inactive" }, "every person it read is active")
    }

    @Test("with too few persons active (a store of old imported events), reads are not held to activity")
    func disarmedWithoutActivity() {
        var monitor = AccessMonitor()
        monitor.fillActivity(Dictionary(uniqueKeysWithValues: (0..<50).map { ("p\($0)", Self.start - 3600) }), population: 1_000_000, now: Self.start)
        var r = SplitMix64(seed: 14)
        let events = (0..<20_000).map { i in
            AccessEvent(
                at: Self.start + Int64(i / 20), principal: "key:web", person: "p\(GuardRoleTests.zipf(&r, persons: 1_000_000))", route: Self.route,
                role: Self.app)
        }
        let alerts = GuardRoleTests.feed(events, monitor: &monitor)
        #expect(alerts.isEmpty, "\(alerts.prefix(3).map(\.explanation))")
    }
}
