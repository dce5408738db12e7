import Foundation
import TactCore
import Testing

@testable import TactGuard

/// The Guard's long horizon: the persons a principal has read (ever, and in the last day), the
/// freshness CUSUM that catches a slow enumeration mixed into a busy key's traffic, the 24-hour
/// count against what a role needs, and the state's byte form (restart, other servers).
@Suite struct LongHorizonTests {
    let day: Int64 = 86_400

    /// Diurnal traffic of keys at `peak` reads a minute, persons by a power law over `persons`.
    func traffic(days: Int, keys: [(String, Double)], persons: Int, seed: UInt64) -> [AccessEvent] {
        var r = SplitMix64(seed: seed)
        var events: [AccessEvent] = []
        for t in stride(from: Int64(0), to: Int64(days) * day, by: 60) {
            let hour = Double(t % day) / 3600
            let activity = 0.15 + 0.85 * max(0, sin((hour - 6) / 16 * .pi))
            for (key, peak) in keys {
                for _ in 0..<Int((peak * activity * (0.8 + 0.4 * r.unit())).rounded()) {
                    events.append(
                        AccessEvent(at: t + Int64(r.next() % 60), principal: key, person: "p\(Int(pow(r.unit(), 3) * Double(persons)))", route: "GET /r"))
                }
            }
        }
        return events
    }

    func run(_ events: [AccessEvent], settings: AccessMonitor.Settings = AccessMonitor.Settings()) -> [GuardAlert] {
        var monitor = AccessMonitor(settings: settings)
        var alerts: [GuardAlert] = []
        for e in events.sorted(by: { $0.at < $1.at }) { alerts += monitor.observe(e) }
        return alerts
    }

    @Test func personFilterRemembersEveryoneInBoundedMemory() {
        var filter = PersonFilter(maximumBits: 1 << 21)
        var fresh = 0
        for i in 0..<60_000 where filter.insert("p\(i)") { fresh += 1 }
        // No false negatives: every person is known afterwards; false positives only cost a few firsts.
        #expect((0..<60_000).allSatisfy { filter.contains("p\($0)") })
        #expect(fresh > 59_400 && filter.count == fresh)
        var again = 0
        for i in 0..<60_000 where filter.insert("p\(i)") { again += 1 }
        #expect(again == 0)
        #expect(filter.byteCount <= (1 << 21) / 8)
        // Persons never inserted are rarely taken for known ones.
        let strangers = (0..<10_000).filter { filter.contains("q\($0)") }.count
        #expect(strangers < 100, "\(strangers) false positives in 10,000")
    }

    @Test func personFilterRoundTripsAndMerges() throws {
        var a = PersonFilter(), b = PersonFilter()
        for i in 0..<3000 { a.insert("a\(i)") }
        for i in 0..<5000 { b.insert("b\(i)") }
        #expect(try PersonFilter(decoding: a.encoded()) == a)
        a.formUnion(b)
        #expect((0..<3000).allSatisfy { a.contains("a\($0)") } && (0..<5000).allSatisfy { a.contains("b\($0)") })
        #expect(a.count >= 7800)
        var damaged = b.encoded()
        damaged.removeLast(9)
        #expect(throws: GuardStateError.self) { try PersonFilter(decoding: damaged) }
    }

    @Test func freshMeansNotReadInTheLastDay() throws {
        var h = PrincipalHistory()
        let t: Int64 = 10 * day + 3600
        let offsets: [Int64] = [0, 600, 20 * 3600, 40 * 3600, 66 * 3600]
        var reads: [Bool] = []
        for offset in offsets { reads.append(h.read("p1", at: t + offset)) }
        // Read again within a day: recent for another day from there; a day and more later: fresh.
        #expect(reads == [true, false, false, false, true])
        #expect(h.persons.count == 1)
        #expect(try PrincipalHistory(decoding: h.encoded()) == h)
    }

    /// The attack at test scale: a leaked key of a busy app reads one new person every 4 s
    /// on top of its app's traffic. Caught before it has read 1% of the persons; before the long
    /// horizon it went unnoticed for hours (the 5-minute windows never stood out).
    @Test func slowEnumerationIsCaughtBeforeOnePercentOfPersons() throws {
        let persons = 50_000
        let start = 3 * day + 8 * 3600
        let scan = (0..<5400).map { AccessEvent(at: start + Int64($0 * 4), principal: "key:1", person: "p\(persons / 2 + $0)", route: "GET /r") }
        let events = traffic(days: 4, keys: [("key:0", 30), ("key:1", 50), ("key:2", 20)], persons: persons, seed: 2) + scan
        let alerts = run(events)
        let first = try #require(alerts.first { $0.principal == "key:1" && $0.at >= start })
        #expect(first.kind == "enumeration" && first.severity == .high, "\(first.explanation)")
        #expect(first.explanation.contains("not read in the last day"))
        let read = scan.filter { $0.at <= first.at }.count
        #expect(read < persons / 100, "the scan read \(read) persons before the alert")
        #expect(!alerts.contains { $0.at >= day && $0.principal != "key:1" }, "\(alerts.map(\.explanation))")
    }

    /// Benign profiles: a busy app, a quiet one, a person token reading only its own data, and a
    /// desk that reads a few different people each office day (every read fresh): no alert after warm-up.
    @Test func benignProfilesAreNotAlerted() {
        var events = traffic(days: 5, keys: [("key:busy", 80), ("key:quiet", 6)], persons: 30_000, seed: 5)
        var r = SplitMix64(seed: 9)
        for t in stride(from: Int64(0), to: 5 * day, by: 60) {
            let hour = (t % day) / 3600
            if (9..<17).contains(hour), r.unit() < 0.05 {
                events.append(AccessEvent(at: t, principal: "key:desk", person: "d\(r.next() % 100_000)", route: "GET /export", kind: .export))
            }
            if r.unit() < 0.02 { events.append(AccessEvent(at: t, principal: "person-token:4", person: "p4", route: "GET /consent")) }
        }
        let alerts = run(events).filter { $0.at >= 2 * day }
        #expect(alerts.isEmpty, "\(alerts.map(\.explanation))")
    }

    /// What a role needs: a key allowed 50 persons a day is alerted at the 51st in 24 hours, with the
    /// figure in words; a key learned to read ~30 a day is alerted when it reads hundreds.
    @Test func dailyPersonsAgainstWhatTheRoleNeeds() throws {
        var settings = AccessMonitor.Settings()
        settings.dailyPersons = ["key:support": 50]
        let t0 = 2 * day + 9 * 3600
        let support = (0..<80).map { AccessEvent(at: t0 + Int64($0 * 300), principal: "key:support", person: "s\($0)", route: "GET /r") }
        var r = SplitMix64(seed: 3)
        var learned: [AccessEvent] = []
        for d in 0..<4 {
            for i in 0..<30 {
                learned.append(
                    AccessEvent(at: Int64(d) * day + 10 * 3600 + Int64(i * 600), principal: "key:crm", person: "c\(r.next() % 100_000)", route: "GET /r"))
            }
        }
        let burst = (0..<400).map { AccessEvent(at: 4 * day + 10 * 3600 + Int64($0 * 60), principal: "key:crm", person: "x\($0)", route: "GET /r") }
        let alerts = run(support + learned + burst, settings: settings)
        let s = try #require(alerts.first { $0.principal == "key:support" })
        #expect(s.kind == "enumeration" && s.persons == 51 && s.explanation.contains("its role needs at most 50"), "\(s.explanation)")
        let c = try #require(alerts.first { $0.principal == "key:crm" && $0.kind == "enumeration" })
        #expect(c.at >= 4 * day && c.persons < 200 && c.explanation.contains("it usually needs 30 a day"), "\(c.at) \(c.persons) \(c.explanation)")
    }

    /// A restart does not forget: histories taken from one monitor and restored into a new one keep
    /// the persons read, so they are not fresh again; two servers' histories merge.
    @Test func historiesSurviveARestartAndMerge() throws {
        var a = AccessMonitor()
        let t: Int64 = 5 * day
        for i in 0..<100 { _ = a.observe(AccessEvent(at: t + Int64(i), principal: "key:1", person: "p\(i)", route: "GET /r")) }
        let stored = a.takeChanged()
        #expect(Set(stored.keys) == ["key:1"])
        #expect(a.takeChanged().isEmpty)
        var b = AccessMonitor()
        for (principal, bytes) in stored { b.restore(principal, try PrincipalHistory(decoding: bytes)) }
        #expect(b.histories["key:1"]?.persons.count == 100)
        _ = b.observe(AccessEvent(at: t + 200, principal: "key:1", person: "p5", route: "GET /r"))
        #expect(b.histories["key:1"]?.persons.count == 100)
        // Another server read other persons meanwhile: the merge knows both.
        var c = AccessMonitor()
        for i in 100..<150 { _ = c.observe(AccessEvent(at: t + 300 + Int64(i), principal: "key:1", person: "p\(i)", route: "GET /r")) }
        for (principal, bytes) in c.takeChanged() { b.restore(principal, try PrincipalHistory(decoding: bytes)) }
        let merged = try #require(b.histories["key:1"])
        #expect(merged.persons.count >= 145 && merged.persons.contains("p120") && merged.persons.contains("p7"))
        var probe = merged
        let (a130, a3, a999) = (probe.read("p130", at: t + 1000), probe.read("p3", at: t + 1000), probe.read("p999", at: t + 1000))
        #expect(!a130 && !a3 && a999)
    }
}
