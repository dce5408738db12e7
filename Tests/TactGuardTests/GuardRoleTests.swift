import Foundation
import TactCore
import Testing

@testable import TactGuard

/// What the Guard holds a principal to by its role, from its first access: reading through people
/// ("scrape"), ids in order ("order"), the role's kinds, hours and person ("role"); the first day
/// observed; and what is done about each alert (`GuardResponse`). Time is injected through the events.
@Suite struct GuardRoleTests {
    static let route = "GET /v1/people/{person}/recommendations"
    static let app = RoleAssignment(.app)
    /// 10:00 UTC on day 3.
    static let start: Int64 = 2 * 86_400 + 10 * 3600

    /// A person drawn as an app meets them: Zipf over `persons` (exponent 1), so the same people come back.
    static func zipf(_ r: inout SplitMix64, persons: Int) -> Int {
        // Inverse of the continuous approximation: rank = persons^u, u uniform.
        Int(pow(Double(persons), r.unit())) - 1
    }

    /// An id order that has met ids up to a million under "u", "p", "q" and "s": the persons of an established
    /// store, whose newest (new sign-ups, not counted for adjacency) are far above those the tests read.
    static func established() -> IdOrder {
        var order = IdOrder()
        for text in ["u", "p", "q", "s"] { _ = order.next("key:sign-ups", id: "\(text)1000000") }
        return order
    }

    /// Feeds events (with the id order computed as the server does) and returns every alert, windows closed after.
    static func feed(_ events: [AccessEvent], monitor: inout AccessMonitor) -> [GuardAlert] {
        var order = established()
        var alerts: [GuardAlert] = []
        for var e in events {
            if let p = e.person { e.order = order.next(e.principal, id: p) }
            alerts += monitor.observe(e)
        }
        return alerts + monitor.close(until: (events.last?.at ?? 0) + 600)
    }

    static func reads(_ principal: String, ids: [String], from at: Int64, perSecond: Int, role: RoleAssignment? = app) -> [AccessEvent] {
        ids.enumerated().map { i, id in AccessEvent(at: at + Int64(i / perSecond), principal: principal, person: id, route: route, role: role) }
    }

    // MARK: reading through people

    @Test("a new app key reading every person once in random order is suspended, decisively, after about 400 reads, while observed")
    func newKeyScrapeIsDecisive() throws {
        var r = SplitMix64(seed: 1)
        var ids = (0..<100_000).map { "p\($0)" }
        ids.shuffle(using: &r)
        var monitor = AccessMonitor()
        let alerts = Self.feed(Self.reads("key:new", ids: Array(ids.prefix(2_000)), from: Self.start, perSecond: 100), monitor: &monitor)
        let first = try #require(alerts.first)
        #expect(first.kind == "scrape" && first.decisive && first.observing, "\(first.kind): \(first.explanation)")
        #expect((300...500).contains(first.persons), "\(first.persons) persons before the alert")
        #expect(first.explanation.contains("reading through people"))
        #expect(GuardResponse.standard.action(for: first) == .suspend)
    }

    @Test("a new app key's busy Zipf traffic (people coming back) raises nothing in its first 10 minutes, far above any baseline")
    func newKeyZipfTrafficIsQuiet() {
        var r = SplitMix64(seed: 2)
        // 200 requests a second for 10 minutes: 120,000 reads over 100,000 persons.
        let events = (0..<120_000).map { i in
            AccessEvent(
                at: Self.start + Int64(i / 200), principal: "key:busy", person: "p\(Self.zipf(&r, persons: 100_000))", route: Self.route, role: Self.app)
        }
        var monitor = AccessMonitor()
        let alerts = Self.feed(events, monitor: &monitor)
        #expect(alerts.isEmpty, "\(alerts.prefix(3).map(\.explanation))")
    }

    @Test("a batch job reads every person once, in id order, within its hours: nothing is raised")
    func batchReadsEveryone() {
        let batch = RoleAssignment(.batch, hours: ActiveHours(from: 2, to: 5))
        let events = Self.reads("key:nightly", ids: (0..<50_000).map { "p\($0)" }, from: 2 * 86_400 + 2 * 3600, perSecond: 10, role: batch)
        var monitor = AccessMonitor()
        #expect(Self.feed(events, monitor: &monitor).isEmpty)
    }

    // MARK: ids in order

    @Test("a new key reading ids in order is stopped after 19 reads; a developer trying ten ids in a row is not")
    func idOrder() throws {
        var monitor = AccessMonitor()
        let alerts = Self.feed(Self.reads("key:walker", ids: (1...200).map { "u\($0)" }, from: Self.start, perSecond: 20), monitor: &monitor)
        let first = try #require(alerts.first)
        #expect(first.kind == "order" && first.decisive && first.observing)
        #expect(first.at == Self.start + 18 / 20, "the 19th read raises it")
        #expect(first.explanation.contains("ids follow one it had just asked for"), "\(first.explanation)")
        // Answered by an alert only, the walk goes on: one alert of its kind a window, not one per run of 19.
        #expect(alerts.filter { $0.kind == "order" }.count == 1, "\(alerts.count) alerts")

        var quiet = AccessMonitor()
        #expect(Self.feed(Self.reads("key:developer", ids: (1...10).map { "u\($0)" }, from: Self.start, perSecond: 1), monitor: &quiet).isEmpty)
    }

    @Test("ids in order mixed into an app's own Zipf traffic (one in five reads) are caught within 60 of the enumeration's reads")
    func idOrderMixedIntoTraffic() throws {
        var r = SplitMix64(seed: 3)
        var events: [AccessEvent] = []
        var next = 50_000
        for i in 0..<20_000 {
            let person: String
            if i >= 10_000 && i % 5 == 0 {
                person = "p\(next)"
                next += 1
            } else {
                person = "p\(Self.zipf(&r, persons: 100_000))"
            }
            events.append(AccessEvent(at: Self.start + Int64(i / 20), principal: "key:app", person: person, route: Self.route, role: Self.app))
        }
        var monitor = AccessMonitor()
        let alerts = Self.feed(events, monitor: &monitor)
        let first = try #require(alerts.first)
        #expect(first.kind == "order", "\(first.explanation)")
        // The enumeration starts at read 10,000 (second 500), one read in five: 60 of its reads take 300 reads, 15 s.
        #expect(first.at >= Self.start + 500 && first.at <= Self.start + 515, "caught \(first.at - Self.start - 500) s after it began")
    }

    @Test("natural order: u9 before u10; adjacency is ±1 of one of the last ids with the same text; a step's code round-trips")
    func idOrderParts() {
        #expect(IdOrder.compare("u9", "u10") == 1 && IdOrder.compare("u10", "u9") == -1 && IdOrder.compare("u07", "u7") == 0)
        #expect(IdOrder.compare("a", "b") == 1 && IdOrder.compare("v1", "u2") == -1)
        #expect(IdOrder.adjacent("u41", "u40") && !IdOrder.adjacent("u41", "v40") && !IdOrder.adjacent("u41", "u43") && !IdOrder.adjacent("x", "y"))
        var order = Self.established()
        #expect(order.next("k", id: "u1") == IdOrder.Step(monotone: nil, adjacent: false))
        #expect(order.next("k", id: "u2") == IdOrder.Step(monotone: nil, adjacent: true))
        #expect(order.next("k", id: "u3") == IdOrder.Step(monotone: true, adjacent: true))
        #expect(order.next("k", id: "u9") == IdOrder.Step(monotone: true, adjacent: false))
        #expect(order.next("k", id: "u4") == IdOrder.Step(monotone: false, adjacent: true))
        for step in [IdOrder.Step(monotone: nil, adjacent: false), .init(monotone: true, adjacent: true), .init(monotone: false, adjacent: false)] {
            #expect(IdOrder.Step(code: step.code) == step)
        }
        #expect(IdOrder.Step(code: 6) == nil && IdOrder.Step(code: 9) == nil)
        // Ids among the newest (within 1,000 of the highest anyone asked for) are not counted as adjacent.
        var fresh = IdOrder()
        #expect(fresh.next("k", id: "u1") == IdOrder.Step(monotone: nil, adjacent: false))
        #expect(fresh.next("k", id: "u2") == IdOrder.Step(monotone: nil, adjacent: false), "u2 is the newest id")
        #expect(order.next("k", id: "u999999") == IdOrder.Step(monotone: false, adjacent: false))
        #expect(order.next("k", id: "u999998") == IdOrder.Step(monotone: false, adjacent: false), "next to u999999, but within 1,000 of u1000000")
        #expect(order.next("k", id: "u5") == IdOrder.Step(monotone: true, adjacent: true), "next to u4, far below the newest")
    }

    @Test("an app reading new sign-ups as they arrive (ids in sequence, at the top) among its returning people is not taken for enumerating ids")
    func newSignUpsAreNotEnumeration() {
        var r = SplitMix64(seed: 5)
        var signedUp = 100_000
        var events: [AccessEvent] = []
        for i in 0..<40_000 {
            let person: String
            if i % 10 == 0 {
                // A new person every ten reads, read a few times as they start.
                signedUp += 1
                person = "u\(signedUp)"
            } else if i % 10 < 3 {
                person = "u\(signedUp - Int(r.next() % 3))"
            } else {
                person = "u\(Self.zipf(&r, persons: 100_000))"
            }
            events.append(AccessEvent(at: Self.start + Int64(i / 20), principal: "key:app", person: person, route: Self.route, role: Self.app))
        }
        var order = IdOrder()
        _ = order.next("key:sign-ups", id: "u100000")
        var monitor = AccessMonitor()
        var alerts: [GuardAlert] = []
        for var e in events {
            e.order = order.next(e.principal, id: e.person!)
            alerts += monitor.observe(e)
        }
        alerts += monitor.close(until: Self.start + 3000)
        #expect(alerts.isEmpty, "\(alerts.prefix(3).map(\.explanation))")
    }

    // MARK: the role's kinds, hours and person

    @Test("role violations act at once, observed or not: an app exporting, a batch job out of its hours, a device reading a second person")
    func roleViolations() throws {
        var monitor = AccessMonitor()
        let export = monitor.observe(
            AccessEvent(at: Self.start, principal: "key:app", person: "p1", route: "GET /v1/people/{person}/export", kind: .export, role: Self.app))
        #expect(export.count == 1 && export[0].kind == "role" && export[0].decisive && export[0].explanation.contains("an app backend never does"))
        let batch = RoleAssignment(.batch, hours: ActiveHours(from: 2, to: 5))
        let inHours = monitor.observe(AccessEvent(at: 2 * 86_400 + 3 * 3600, principal: "key:batch", person: "p1", route: Self.route, role: batch))
        let late = monitor.observe(AccessEvent(at: 2 * 86_400 + 14 * 3600, principal: "key:batch", person: "p2", route: Self.route, role: batch))
        #expect(inHours.isEmpty)
        #expect(late.count == 1 && late[0].kind == "role" && late[0].explanation.contains("outside its declared hours 02-05"), "\(late.map(\.explanation))")
        let own = monitor.observe(AccessEvent(at: Self.start, principal: "person-token:t", person: "p7", route: "GET /v1/people/{person}/consent"))
        let other = monitor.observe(
            AccessEvent(at: Self.start + 1, principal: "person-token:t", person: "p8", route: "GET /v1/people/{person}/consent", status: 403))
        #expect(own.isEmpty && other.count == 1 && other[0].kind == "role")
        // A person token's alert is recorded, not acted on: its refused requests reach nothing.
        #expect(GuardResponse.standard.action(for: other[0]) == .alert)
        // A key with no role (made before keys had roles) is held to its baselines only: its export is not a violation.
        #expect(monitor.observe(AccessEvent(at: Self.start, principal: "key:old", person: "p1", route: "GET /export", kind: .export)).isEmpty)
    }

    @Test("hours: FROM-TO in UTC, across midnight too; a role's text form reads back; malformed ones are refused")
    func hoursAndRoleText() {
        let night = ActiveHours(text: "22-04")!
        #expect(night.contains(23 * 3600) && night.contains(86_400 + 3 * 3600) && !night.contains(12 * 3600) && !night.contains(4 * 3600))
        #expect(ActiveHours(text: "02:00-05:00") == ActiveHours(from: 2, to: 5) && ActiveHours(text: "0-24") != nil)
        for bad in ["5-5", "25-3", "x", "1-2-3", "02:30-05", "-3", "123-4"] { #expect(ActiveHours(text: bad) == nil, "\(bad)") }
        #expect(RoleAssignment(text: "batch 02-05") == RoleAssignment(.batch, hours: ActiveHours(from: 2, to: 5)))
        #expect(RoleAssignment(text: "app")?.description == "app" && RoleAssignment(text: "") == nil && RoleAssignment(text: "owner") == nil)
    }

    // MARK: the first day observed, volume, and the response

    @Test("volume alone is not held against an app: a busy window of its usual audience raises nothing; the same volume of new people is high")
    func volumeNeedsShape() throws {
        var settings = AccessMonitor.Settings()
        settings.observeSeconds = 0
        var r = SplitMix64(seed: 4)
        // Two hours at 2 reads a second over a few hundred regulars: its baseline.
        var events = (0..<14_400).map { i in
            AccessEvent(at: Self.start + Int64(i / 2), principal: "key:app", person: "p\(Self.zipf(&r, persons: 400))", route: Self.route, role: Self.app)
        }
        let surge = Self.start + 7_200
        // Then ten times the traffic from the same audience for five minutes.
        events += (0..<6_000).map { i in
            AccessEvent(at: surge + Int64(i / 20), principal: "key:app", person: "p\(Self.zipf(&r, persons: 400))", route: Self.route, role: Self.app)
        }
        var monitor = AccessMonitor(settings: settings)
        #expect(Self.feed(events, monitor: &monitor).isEmpty)
        // The same surge of people it never read, in random order: high volume, and its shape changed.
        let strangers = (0..<3_000).map { i in
            AccessEvent(at: surge + 600 + Int64(i / 20), principal: "key:app", person: "s\((i * 7_919) % 100_000)", route: Self.route, role: Self.app)
        }
        let alerts = Self.feed(strangers, monitor: &monitor)
        let high = try #require(alerts.first { $0.severity >= .high })
        #expect(["volume", "scrape", "enumeration"].contains(high.kind) && !high.observing, "\(high.kind): \(high.explanation)")
    }

    @Test("the response: decisive suspends at once; observed is recorded only; high throttles; a high one within a day of a lifted throttle suspends")
    func response() {
        let r = GuardResponse.standard
        func alert(_ severity: GuardAlert.Severity, decisive: Bool = false, observing: Bool = false, at: Int64 = 1_000) -> GuardAlert {
            GuardAlert(at: at, principal: "key:k", severity: severity, kind: "x", explanation: "", persons: 1, decisive: decisive, observing: observing)
        }
        #expect(r.action(for: alert(.high, decisive: true, observing: true)) == .suspend)
        #expect(r.action(for: alert(.high, observing: true)) == .alert)
        #expect(r.action(for: alert(.critical, observing: true)) == .alert)
        #expect(r.action(for: alert(.medium)) == .alert)
        #expect(r.action(for: alert(.high)) == .throttle)
        #expect(r.action(for: alert(.high, at: 50_000), liftedAt: 1_000) == .suspend)
        #expect(r.action(for: alert(.high, at: 100_000), liftedAt: 1_000) == .throttle)
        #expect(r.action(for: alert(.critical)) == .suspend)
    }

    @Test("a principal first seen is observed for observeSeconds, and the time it was first seen survives a restart; a stored version 1 history is long known")
    func observedFirstDay() throws {
        var monitor = AccessMonitor()
        _ = monitor.observe(AccessEvent(at: Self.start, principal: "key:new", person: "p1", route: Self.route, role: Self.app))
        #expect(monitor.isObserving("key:new", at: Self.start + 3_600) && !monitor.isObserving("key:new", at: Self.start + 86_400))
        // A key that has only been refused so far (no history yet) is observed from its first access, not forever.
        _ = monitor.observe(AccessEvent(at: Self.start, principal: "key:prober", person: "p1", route: Self.route, status: 403, role: Self.app))
        #expect(monitor.isObserving("key:prober", at: Self.start + 3_600) && !monitor.isObserving("key:prober", at: Self.start + 86_400))
        let bytes = try #require(monitor.histories["key:new"]).encoded()
        #expect(try PrincipalHistory(decoding: bytes).firstSeen == Self.start)
        // Version 1 had no first-seen time: the version number, then the same fields without it.
        var old = bytes
        var w = ByteWriter()
        w.int(1)
        old.replaceSubrange(0..<w.bytes.count * 2, with: w.bytes)
        #expect(try PrincipalHistory(decoding: old).firstSeen == 0)
    }

    @Test("calm windows: a throttled key's windows count toward its lift only when their shape is usual again")
    func calmWindows() {
        var settings = AccessMonitor.Settings()
        settings.observeSeconds = 0
        var monitor = AccessMonitor(settings: settings)
        var r = SplitMix64(seed: 5)
        var events = (0..<7_200).map { i in
            AccessEvent(at: Self.start + Int64(i), principal: "key:app", person: "p\(Self.zipf(&r, persons: 300))", route: Self.route, role: Self.app)
        }
        _ = Self.feed(events, monitor: &monitor)
        #expect(monitor.calmWindows(of: "key:app") >= 2)
        // A window of strangers resets it, and windows that keep that shape do not count.
        events = (0..<900).map { i in
            AccessEvent(at: Self.start + 8_000 + Int64(i), principal: "key:app", person: "z\(i * 13 % 5_000)", route: Self.route, role: Self.app)
        }
        for e in events { _ = monitor.observe(e) }
        _ = monitor.close(until: Self.start + 8_000 + 900 + 1)
        #expect(monitor.calmWindows(of: "key:app") == 0)
    }
}
