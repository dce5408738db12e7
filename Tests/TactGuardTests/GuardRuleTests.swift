import Foundation
import TactCore
import Testing

@testable import TactGuard

/// Each of the Guard's window rules (docs/guard.md, "the alerts") driven into firing on its own, with a
/// benign control beside it where it must stay quiet: the enumeration rule (fresh persons 8σ above the
/// baseline), the export burst (exports and erasures), the off-hours volume rule, the errors rule and
/// the isolation forest's "pattern". Time is injected through the events; nothing sleeps.
@Suite struct GuardRuleTests {
    static let window: Int64 = 300
    /// 09:00 UTC on the first day.
    static let nine: Int64 = 9 * 3600

    /// A key reading its own regulars: `requests` reads per window over a pool of `pool` persons (the same
    /// ones every window, so after its first window none is fresh), evenly spread over each window.
    static func regular(_ principal: String, pool: Int = 30, requests: Int = 30, windows: Int, from start: Int64) -> [AccessEvent] {
        var events: [AccessEvent] = []
        for w in 0..<windows {
            let base = start + Int64(w) * window
            for i in 0..<requests {
                events.append(
                    AccessEvent(
                        at: base + Int64(i) * window / Int64(requests), principal: principal,
                        person: "\(principal)/p\(i % pool)", route: "GET /v1/people/{person}/recommendations"))
            }
        }
        return events
    }

    /// `n` events spread evenly over the window starting at `start`.
    static func spread(_ n: Int, from start: Int64, _ make: (Int, Int64) -> AccessEvent) -> [AccessEvent] {
        (0..<n).map { make($0, start + Int64($0) * window / Int64(n)) }
    }

    /// Feeds the events in time order, then closes every window; returns the alerts.
    static func run(_ events: [AccessEvent], monitor: inout AccessMonitor) -> [GuardAlert] {
        var alerts: [GuardAlert] = []
        for e in events.sorted(by: { $0.at < $1.at }) { alerts += monitor.observe(e) }
        return alerts + monitor.close(until: (events.map(\.at).max() ?? 0) + 2 * window)
    }

    static func run(_ events: [AccessEvent], settings: AccessMonitor.Settings = AccessMonitor.Settings()) -> [GuardAlert] {
        var monitor = AccessMonitor(settings: settings)
        return run(events, monitor: &monitor)
    }

    /// 18 windows (09:00 to 10:30) of a key reading its 30 regulars: the hour 10 baseline is warm
    /// (6 windows, none with a fresh person), and it has made 540 reads, under the 2,000 after which the
    /// long-horizon CUSUM starts.
    static let warm = regular("key:app", windows: 18, from: nine)
    static let attackStart = nine + 18 * window

    // MARK: enumeration

    @Test("enumeration: 45 persons not read in the last day in one window, against none usually, is a high enumeration alert")
    func enumerationRule() throws {
        // The attack window reads 45 distinct persons, all fresh: as many distinct persons as 1.5× usual (no
        // volume alert), but 45 fresh where 0 is usual (8σ with σ floored at 5 is 40).
        let walk = Self.spread(45, from: Self.attackStart) { i, at in
            AccessEvent(at: at, principal: "key:app", person: "stranger-\(i)", route: "GET /v1/people/{person}/recommendations")
        }
        let alerts = Self.run(Self.warm + walk)
        #expect(alerts.count == 1, "\(alerts.map(\.explanation))")
        let alert = try #require(alerts.first)
        #expect(alert.kind == "enumeration" && alert.severity == .high && alert.principal == "key:app")
        // The window rule (at the window's end, counted in 5 minutes), not the long horizon's CUSUM.
        #expect(alert.at == Self.attackStart + Self.window)
        #expect(alert.explanation.contains("read 45 persons it had not read in the last day in 5 minutes"), "\(alert.explanation)")
        #expect(alert.explanation.contains("walking through people one by one"))
    }

    @Test("enumeration control: the same 45 distinct persons with only 15 of them fresh raise nothing")
    func enumerationControl() {
        let mixed = Self.spread(45, from: Self.attackStart) { i, at in
            AccessEvent(at: at, principal: "key:app", person: i < 30 ? "key:app/p\(i)" : "stranger-\(i)", route: "GET /v1/people/{person}/recommendations")
        }
        let alerts = Self.run(Self.warm + mixed)
        #expect(alerts.isEmpty, "\(alerts.map(\.explanation))")
    }

    // MARK: exports and erasures

    /// The warm key's usual window with `count` of its regulars' data taken out as `kind`.
    static func burst(_ kind: AccessEvent.Kind, count: Int, route: String) -> [AccessEvent] {
        Self.regular("key:app", windows: 1, from: Self.attackStart)
            + Self.spread(count, from: Self.attackStart) { i, at in
                AccessEvent(at: at + 1, principal: "key:app", person: "key:app/p\(i)", route: route, kind: kind)
            }
    }

    @Test(
        "export burst: 20 exports in one window where none is usual is a high alert naming the exports",
        arguments: [(AccessEvent.Kind.export, "GET /v1/people/{person}/export"), (.erase, "DELETE /v1/people/{person}")])
    func exportBurstRule(_ kind: AccessEvent.Kind, _ route: String) throws {
        let alerts = Self.run(Self.warm + Self.burst(kind, count: 20, route: route))
        #expect(alerts.count == 1, "\(alerts.map(\.explanation))")
        let alert = try #require(alerts.first)
        #expect(alert.kind == "exports" && alert.severity == .high && alert.principal == "key:app" && alert.at == Self.attackStart + Self.window)
        #expect(alert.explanation.contains("exported or erased 20 persons' data in 5 minutes"), "\(alert.explanation)")
    }

    @Test("export burst control: 20 writes (consent, rectification, a restriction lifted) or 2 exports raise nothing")
    func exportBurstControl() {
        let writes = Self.run(Self.warm + Self.burst(.write, count: 20, route: "DELETE /v1/people/{person}/restriction"))
        #expect(writes.isEmpty, "\(writes.map(\.explanation))")
        // Exports and erasures together count; under the minimum of 3 they are not a burst of note.
        let few = Self.run(
            Self.warm + Self.burst(.export, count: 1, route: "GET /v1/people/{person}/export")
                + Self.spread(1, from: Self.attackStart + 100) { _, at in
                    AccessEvent(at: at, principal: "key:app", person: "key:app/p5", route: "DELETE /v1/people/{person}", kind: .erase)
                })
        #expect(few.isEmpty, "\(few.map(\.explanation))")
    }

    // MARK: off-hours volume

    /// The key, active only from 09:00 to 14:30 on day 0 (6,600 reads of its 30 regulars), then `persons` of
    /// them read in one window at `hour` on day 1 (within a day, so none is fresh). At 03:00 its 30 reads
    /// stay under 0.5% of all it has made, so all of them are at an hour it is almost never active in.
    static func nextDay(at hour: Int64, persons: Int) -> [AccessEvent] {
        let start = 86_400 + hour * 3600
        return Self.regular("key:app", requests: 100, windows: 66, from: Self.nine)
            + Self.spread(persons, from: start) { i, at in
                AccessEvent(at: at, principal: "key:app", person: "key:app/p\(i % 30)", route: "GET /v1/people/{person}/recommendations")
            }
    }

    @Test("off-hours volume: 30 distinct persons at 03:00, an hour the key is never active in, is a high alert (5σ, under the 8σ of volume)")
    func offHoursRule() throws {
        let alerts = Self.run(Self.nextDay(at: 3, persons: 30))
        #expect(alerts.count == 1, "\(alerts.map(\.explanation))")
        let alert = try #require(alerts.first)
        #expect(alert.kind == "off-hours" && alert.severity == .high && alert.at == 86_400 + 3 * 3600 + Self.window)
        #expect(alert.explanation.contains("read 30 distinct persons in 5 minutes at 3:00 UTC, an hour it is rarely active in"), "\(alert.explanation)")
    }

    @Test("off-hours control: the same 30 persons at 10:00, or 20 at 03:00 (4σ), raise nothing")
    func offHoursControl() {
        let usualHour = Self.run(Self.nextDay(at: 10, persons: 30))
        #expect(usualHour.isEmpty, "\(usualHour.map(\.explanation))")
        let fewer = Self.run(Self.nextDay(at: 3, persons: 20))
        #expect(fewer.isEmpty, "\(fewer.map(\.explanation))")
    }

    // MARK: errors

    /// The warm key's usual window plus `count` requests for persons that do not exist (404).
    static func probing(_ count: Int, status: Int = 404) -> [AccessEvent] {
        Self.regular("key:app", windows: 1, from: Self.attackStart)
            + Self.spread(count, from: Self.attackStart) { i, at in
                AccessEvent(at: at + 2, principal: "key:app", person: "guess-\(i)", route: "GET /v1/people/{person}/recommendations", status: status)
            }
    }

    @Test("errors: 30 of 60 requests answered 404 where none usually are is a medium errors alert")
    func errorsRule() throws {
        let alerts = Self.run(Self.warm + Self.probing(30))
        #expect(alerts.count == 1, "\(alerts.map(\.explanation))")
        let alert = try #require(alerts.first)
        #expect(alert.kind == "errors" && alert.severity == .medium && alert.at == Self.attackStart + Self.window)
        #expect(alert.explanation.contains("got 30 error answers in 5 minutes"), "\(alert.explanation)")
    }

    @Test("errors control: 6 of 36 requests answered 404 raise nothing")
    func errorsControl() {
        let alerts = Self.run(Self.warm + Self.probing(6))
        #expect(alerts.isEmpty, "\(alerts.map(\.explanation))")
    }

    // MARK: pattern (isolation forest)

    /// Five keys, each reading 20 to 40 times a window from its own 30 regulars, now and then refused
    /// (403), answered an error (404) or exporting, for `windows` windows: more than the 500 benign windows
    /// the forest is fitted on, varied in every feature it can split.
    static func population(windows: Int, seed: UInt64) -> [AccessEvent] {
        var r = SplitMix64(seed: seed)
        var events: [AccessEvent] = []
        for w in 0..<windows {
            let base = Self.nine + Int64(w) * window
            for k in 0..<5 {
                let n = 20 + Int(r.next() % 21)
                for i in 0..<n {
                    let roll = r.next() % 100
                    let status = roll < 2 ? 403 : roll < 4 ? 404 : 200
                    let kind: AccessEvent.Kind = roll == 99 ? .export : .read
                    // Now and then a route it had not used (a new feature of the app).
                    let route = roll == 98 ? "GET /v1/people/{person}/feature-\(w)" : "GET /v1/people/{person}/recommendations"
                    events.append(
                        AccessEvent(
                            at: base + Int64(i) * window / Int64(n), principal: "key:\(k)",
                            person: "key:\(k)/p\(r.next() % 30)", route: route, kind: kind, status: status))
                }
            }
        }
        return events
    }

    /// One window of key:0 unlike any benign one, yet under every threshold rule: 40 requests (as many as
    /// its busiest windows), each on a route it never used, over 24 persons it never read (under the 25 of
    /// the volume and enumeration rules), with 9 refusals, 9 errors and 2 exports (under the 10, 10 and 3
    /// of theirs).
    static func odd(at start: Int64) -> [AccessEvent] {
        Self.spread(40, from: start) { i, at in
            let status = i % 4 == 1 && i < 36 ? 403 : i % 4 == 2 && i < 36 ? 404 : 200
            let kind: AccessEvent.Kind = i == 3 || i == 7 ? .export : .read
            return AccessEvent(at: at, principal: "key:0", person: "stranger-\(i % 24)", route: "GET /v1/people/{person}/odd-\(i)", kind: kind, status: status)
        }
    }

    @Test("pattern: once fitted on 500 benign windows, the isolation forest flags a window unlike any seen that no other rule catches")
    func patternRule() throws {
        let windows = 110
        var settings = AccessMonitor.Settings()
        settings.observeSeconds = 0  // the forest is not judged by while a principal is observed
        var monitor = AccessMonitor(settings: settings)
        let benign = Self.run(Self.population(windows: windows, seed: 11), monitor: &monitor)
        #expect(benign.isEmpty, "\(benign.map(\.explanation))")
        #expect(monitor.forest != nil && monitor.benign.count >= 500)
        let start = Self.nine + Int64(windows + 2) * Self.window
        let alerts = Self.run(Self.odd(at: start), monitor: &monitor)
        #expect(alerts.count == 1, "\(alerts.map(\.explanation))")
        let alert = try #require(alerts.first)
        #expect(alert.kind == "pattern" && alert.severity == .medium && alert.principal == "key:0", "\(alert.kind) \(alert.explanation)")
        #expect(alert.explanation.contains("unlike any seen (isolation score"), "\(alert.explanation)")
    }

    @Test("pattern control: after the forest is fitted, more benign windows raise nothing; without the forest the odd window raises nothing")
    func patternControl() {
        var monitor = AccessMonitor()
        let alerts = Self.run(Self.population(windows: 160, seed: 12), monitor: &monitor)
        #expect(monitor.forest != nil)
        #expect(alerts.isEmpty, "\(alerts.map(\.explanation))")
        // The odd window is caught by the forest alone: with no forest it passes every threshold rule.
        var settings = AccessMonitor.Settings()
        settings.forestThreshold = nil
        var plain = AccessMonitor(settings: settings)
        _ = Self.run(Self.population(windows: 110, seed: 11), monitor: &plain)
        let odd = Self.run(Self.odd(at: Self.nine + 112 * Self.window), monitor: &plain)
        #expect(odd.isEmpty, "\(odd.map(\.explanation))")
    }
}
