// The Guard's harness: simulated days of legitimate traffic for every role, from each key's first
// hour, with attacks mixed in, answered the way `tact serve` answers them by default
// (`GuardResponse.standard`: decisive alerts suspend, high ones throttle, a throttle is lifted when
// the shape is calm again, a principal is observed for its first day). The clock is the simulation's.
//
//   swift build -c release --product guard-harness --scratch-path .build-rel
//   .build-rel/release/guard-harness [--days 7] [--keys 20] [--persons 100000] [--audience 20000] [--seed 1]
//
// The store holds `persons` persons, of whom the apps' audience (the first `audience`) uses them: the store
// had three days of their events before the simulation starts (the server's activity memory is filled from
// it, as `tact serve` does), and the rest have not been active for longer.
//
// Legitimate traffic (every principal new at the start, nothing exempt):
// - app keys: daytime-heavy reads of persons of the audience whose popularity falls off as a power law, 1% of
//   them new sign-ups never seen before; 70% of reads are followed by the person's events, sent by the key;
// - a nightly batch job that reads every person once, in id order, between 02:00 and 05:00 (its declared hours);
// - a support desk that looks at and exports a few people in office hours;
// - person tokens (devices) reading their own person.
// Attacks: leaked app keys scraping (in order and at random, fast and slow), new keys scraping, a
// batch key used outside its hours, an off-hours export burst, a replayed person token, a canary.
//
// Prints, per attack, when it was stopped (throttled or suspended) and the persons it read, and per
// role the throttles, suspensions and alerts of legitimate traffic; then one JSON line.
import Foundation
import TactCore
import TactGuard

func argument(_ name: String, _ fallback: Int) -> Int {
    let args = CommandLine.arguments
    guard let i = args.firstIndex(of: "--" + name), i + 1 < args.count, let v = Int(args[i + 1]) else { return fallback }
    return v
}
let days = argument("days", 7), keyCount = argument("keys", 20), personCount = argument("persons", 100_000)
let audience = min(argument("audience", personCount / 5), personCount)
let seed = UInt64(argument("seed", 1))
var random = SplitMix64(seed: seed)
let day: Int64 = 86_400
let route = "GET /v1/people/{person}/recommendations"
let commit: String = {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["git", "rev-parse", "--short", "HEAD"]
    let pipe = Pipe()
    p.standardOutput = pipe
    p.standardError = FileHandle.nullDevice
    guard (try? p.run()) != nil else { return "unknown" }
    p.waitUntilExit()
    return String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
}()
let cpu =
    ((try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? "").split(separator: "\n").first { $0.hasPrefix("model name") }
    .map { $0.split(separator: ":", maxSplits: 1)[1].trimmingCharacters(in: .whitespaces) } ?? "unknown CPU"

/// A person of the audience drawn with popularity falling off as a power law (many repeat visitors, a long tail).
func person(_ r: inout SplitMix64) -> String {
    let u = r.unit()
    return "p\(Int(pow(u, 3) * Double(audience)))"
}

/// Daytime-heavy activity: 0.15 at night up to 1.0 mid-afternoon (UTC).
func activity(_ t: Int64) -> Double {
    let hour = Double(t % day) / 3600
    return 0.15 + 0.85 * max(0, sin((hour - 6) / 16 * .pi))
}

/// The persons in a random order (Fisher–Yates).
func shuffled(_ n: Int, _ r: inout SplitMix64) -> [Int] {
    var a = Array(0..<n)
    for i in stride(from: n - 1, to: 0, by: -1) { a.swapAt(i, Int(r.next() % UInt64(i + 1))) }
    return a
}

let app = RoleAssignment(.app), batchRole = RoleAssignment(.batch, hours: ActiveHours(from: 2, to: 5)), support = RoleAssignment(.support)
let device = RoleAssignment(.device)
var roles: [String: RoleAssignment] = [:]

struct Scenario {
    var name: String
    var principal: String
    var start: Int64
    var events: [AccessEvent]
}

var events: [AccessEvent] = []
var newPersons = 0
// App keys: each serves an app, 20 to 80 requests a minute at peak.
let keys = (0..<keyCount).map { "key:app-\($0)" }
for key in keys { roles[key] = app }
let peak = keys.map { _ in 20 + Double(random.next() % 60) }
roles["key:nightly-batch"] = batchRole
roles["key:support-desk"] = support
for t in stride(from: Int64(0), to: Int64(days) * day, by: 60) {
    for (k, key) in keys.enumerated() {
        let mean = peak[k] * activity(t)
        let n = Int((mean + (random.unit() - 0.5) * mean * 0.4).rounded())
        for _ in 0..<max(0, n) {
            let at = t + Int64(random.next() % 60)
            let roll = random.unit()
            let status = roll < 0.01 ? 429 : roll < 0.015 ? 404 : 200
            // 1% new sign-ups, read before their first event; their ids ("n1", "n2", …) are given in the order they
            // are first seen, once every event is in time order, as a store's ids are.
            let who = random.unit() < 0.01 ? "new-\(newPersons)" : person(&random)
            if who.hasPrefix("new-") { newPersons += 1 }
            events.append(AccessEvent(at: at, principal: key, person: who, route: route, status: status, role: app))
            if status == 200, random.unit() < 0.7 {
                events.append(AccessEvent(at: at + 1, principal: key, person: who, route: "POST /v1/events", kind: .ingest))
            }
        }
    }
    // Person tokens: 300 people look at their own data now and then, by day.
    if random.unit() < 0.6 * activity(t) {
        let who = Int(random.next() % 300)
        events.append(
            AccessEvent(
                at: t + Int64(random.next() % 60), principal: "person-token:\(who)", person: "p\(who)", route: "GET /v1/people/{person}/consent",
                role: device))
    }
    // The support desk looks at a few people in office hours, and exports some of them.
    let hour = (t % day) / 3600
    if (9..<17).contains(hour), random.unit() < 0.06 {
        let who = person(&random)
        events.append(AccessEvent(at: t, principal: "key:support-desk", person: who, route: "GET /v1/people/{person}/consent", role: support))
        if random.unit() < 0.2 {
            events.append(
                AccessEvent(at: t + 30, principal: "key:support-desk", person: who, route: "GET /v1/people/{person}/export", kind: .export, role: support))
        }
    }
}
// The nightly batch job: every person once, in id order, from 02:00 for about three hours.
for d in 0..<Int64(days) {
    let start = d * day + 2 * 3600, spacing = Double(3 * 3600 - 600) / Double(personCount)
    for i in 0..<personCount {
        events.append(AccessEvent(at: start + Int64(Double(i) * spacing), principal: "key:nightly-batch", person: "p\(i)", route: route, role: batchRole))
    }
}

// Attacks, from day 3 on (the leaked keys are mature app keys; the new ones are first seen in the attack).
var scenarios: [Scenario] = []
let d3 = 2 * day, d4 = 3 * day, d5 = 4 * day, d6 = 5 * day
@MainActor func scrape(_ name: String, _ principal: String, at start: Int64, order: [Int], perSecond: Double, role: RoleAssignment = app) -> Scenario {
    roles[principal] = role
    return Scenario(
        name: name, principal: principal, start: start,
        events: order.enumerated().map { i, p in
            AccessEvent(at: start + Int64(Double(i) / perSecond), principal: principal, person: "p\(p)", route: route, role: role)
        })
}
let all20 = Array(0..<min(36_000, personCount))
scenarios.append(scrape("leaked app key, every person in id order, 20/s", "key:app-3", at: d3 + 14 * 3600, order: all20, perSecond: 20))
scenarios.append(
    scrape(
        "leaked app key, every person in random order, 20/s", "key:app-5", at: d3 + 10 * 3600, order: Array(shuffled(personCount, &random).prefix(36_000)),
        perSecond: 20))
scenarios.append(
    scrape("leaked app key, slow enumeration in id order, 1 every 4 s", "key:app-7", at: d4 + 8 * 3600, order: Array(50_000..<71_600), perSecond: 0.25))
scenarios.append(
    scrape(
        "leaked app key, slow scrape in random order, 1 every 4 s", "key:app-9", at: d4 + 9 * 3600, order: Array(shuffled(personCount, &random).prefix(21_600)),
        perSecond: 0.25))
scenarios.append(scrape("new app key, every person in id order, 100/s", "key:new-1", at: d5 + 15 * 3600, order: Array(0..<36_000), perSecond: 100))
scenarios.append(
    scrape(
        "new app key, every person in random order, 100/s", "key:new-2", at: d5 + 16 * 3600, order: Array(shuffled(personCount, &random).prefix(36_000)),
        perSecond: 100))
// A scraper that reads each person twice, so that half its reads are of persons it read before.
scenarios.append(
    scrape(
        "leaked app key, every person in random order, each read twice, 20/s", "key:app-13", at: d5 + 13 * 3600,
        order: shuffled(personCount, &random).prefix(18_000).flatMap { [$0, $0] }, perSecond: 20))
scenarios.append(
    scrape(
        "new app key, every person in random order, each read twice, 50/s", "key:new-3", at: d6 + 10 * 3600,
        order: shuffled(personCount, &random).prefix(18_000).flatMap { [$0, $0] }, perSecond: 50))
scenarios.append(
    scrape("batch key used outside its hours (14:00)", "key:nightly-batch", at: d6 + 14 * 3600, order: Array(0..<36_000), perSecond: 20, role: batchRole))
// The support desk's key exports 200 people at 03:00.
scenarios.append(
    Scenario(
        name: "off-hours export burst (support desk, 03:00)", principal: "key:support-desk", start: d5 + 3 * 3600,
        events: (0..<200).map { i in
            AccessEvent(
                at: d5 + 3 * 3600 + Int64(i * 2), principal: "key:support-desk", person: person(&random),
                route: "GET /v1/people/{person}/export", kind: .export, role: support)
        }))
// A person token replayed against other persons: every try refused.
scenarios.append(
    Scenario(
        name: "person token replayed against other persons", principal: "person-token:17", start: d5 + 11 * 3600,
        events: (0..<300).map { i in
            AccessEvent(
                at: d5 + 11 * 3600 + Int64(i), principal: "person-token:17", person: "p\(10_000 + i)",
                route: "GET /v1/people/{person}/consent", status: 403, role: device)
        }))
// A canary read through an app key.
scenarios.append(
    Scenario(
        name: "canary touched", principal: "key:app-11", start: d6 + 16 * 3600,
        events: [AccessEvent(at: d6 + 16 * 3600, principal: "key:app-11", person: "canary-2", route: route, role: app)]))
let attackEvents = scenarios.flatMap(\.events)
var all = (events + attackEvents).sorted { $0.at < $1.at }
var signUps: [String: String] = [:]
for i in all.indices {
    guard let p = all[i].person, p.hasPrefix("new-") else { continue }
    if signUps[p] == nil { signUps[p] = "n\(signUps.count + 1)" }
    all[i].person = signUps[p]
}

var settings = AccessMonitor.Settings()
settings.canaries = Set((0..<5).map { "canary-\($0)" })
var monitor = AccessMonitor(settings: settings)
// The store's last three days: the audience's events, drawn as the apps draw them (about 70% of three days'
// reads), each at a random time; filled into the activity memory as `tact serve` does at start.
var history: [String: Int64] = [:]
let readsADay: Double = peak.reduce(0, +) * 60 * 24 * 0.55
let historyDraws = Int(0.7 * 3 * readsADay)
for _ in 0..<historyDraws { history[person(&random)] = -Int64(random.next() % UInt64(3 * day - 1)) - 1 }
monitor.fillActivity(history, population: personCount, now: 0)
let response = GuardResponse.standard
var order = IdOrder()
/// Per key: suspended since; throttled since (and the admitted rate's next free second); its last throttle's lift.
var suspended: [String: Int64] = [:]
var throttledUntilCalm: [String: Int64] = [:]
var nextAdmitted: [String: Int64] = [:]
var lastLift: [String: Int64] = [:]
var actions: [(alert: GuardAlert, action: GuardMitigation)] = []
var lifts: [(principal: String, at: Int64)] = []
let attackers = Dictionary(uniqueKeysWithValues: scenarios.map { ($0.principal, $0) })
/// Per attack: the persons its key read while the attack went on (its app's own traffic included), and those its own requests read.
var exposed: [String: Set<String>] = [:]
var attackRead: [String: Set<String>] = [:]
var attackIDs = Set<String>()
for e in attackEvents { attackIDs.insert("\(e.at) \(e.principal) \(e.person ?? "")") }
let throttleSeconds = Int64(10)  // the default throttle: one request every ten seconds
let started = Date()
var nextCount: Int64 = 0, signedUp = 0
for i in all.indices {
    var e = all[i]
    // The server counts the store's persons every 10 minutes: sign-ups join them.
    if let p = e.person, p.hasPrefix("n"), let n = Int(p.dropFirst()) { signedUp = max(signedUp, n) }
    if e.at >= nextCount {
        monitor.countPopulation(personCount + signedUp)
        nextCount = e.at + 600
    }
    if let at = suspended[e.principal], e.at >= at { continue }
    if throttledUntilCalm[e.principal] != nil {
        // A throttled key: one request every ten seconds gets through, the rest are refused before the Guard.
        if e.at < nextAdmitted[e.principal, default: 0] { continue }
        nextAdmitted[e.principal] = e.at + throttleSeconds
    }
    // As the server does: the order of the ids in the accesses to persons (events sent are not such accesses).
    if let p = e.person, e.kind != .ingest { e.order = order.next(e.principal, id: p) }
    if let s = attackers[e.principal], e.at >= s.start, e.at <= s.events.last!.at, e.status < 400, e.kind != .ingest, let p = e.person {
        exposed[e.principal, default: []].insert(p)
        if attackIDs.contains("\(e.at) \(e.principal) \(p)") { attackRead[e.principal, default: []].insert(p) }
    }
    for alert in monitor.observe(e) {
        let action = response.action(for: alert, liftedAt: lastLift[alert.principal])
        actions.append((alert, action))
        switch action {
        case .suspend: if suspended[alert.principal] == nil { suspended[alert.principal] = alert.at }
        case .throttle:
            throttledUntilCalm[alert.principal] = alert.at
            nextAdmitted[alert.principal] = alert.at + throttleSeconds
        case .alert: break
        }
    }
    for (key, _) in throttledUntilCalm where monitor.calmWindows(of: key) >= settings.calmWindows {
        throttledUntilCalm[key] = nil
        lastLift[key] = e.at
        lifts.append((key, e.at))
    }
}
for alert in monitor.close(until: Int64(days) * day + 600) { actions.append((alert, response.action(for: alert, liftedAt: lastLift[alert.principal]))) }
let seconds = Date().timeIntervalSince(started)

/// An alert belongs to an attack if it names the attack's principal after the attack began.
func belongs(_ a: GuardAlert) -> Scenario? {
    guard let s = attackers[a.principal], a.at >= s.start else { return nil }
    return s
}
@MainActor func roleName(_ principal: String) -> String {
    roles[principal].map { $0.role.rawValue } ?? (principal.hasPrefix("person-token:") ? "device" : "app")
}
print(
    "Guard harness: \(days) simulated days from every principal's first hour, \(keyCount) app keys, a nightly batch job, a support desk, 300 person tokens, \(personCount) persons (an audience of \(audience), \(newPersons) new sign-ups), \(all.count) events; seed \(seed)"
)
print(
    "machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, \(cpu); \(String(format: "%.1f", seconds)) s, \(String(format: "%.0f", Double(all.count) / seconds)) events/s"
)
print("")
print("| attack | stopped after | by | persons its key read | share | read by the attack itself |")
print("| --- | ---: | --- | ---: | ---: | ---: |")
var rows: [[String: Any]] = []
for s in scenarios {
    let mine = actions.filter { belongs($0.alert)?.principal == s.principal && $0.alert.at >= s.start }
    let first = mine.first
    let stop = mine.first { $0.action != .alert }
    let persons = exposed[s.principal]?.count ?? 0, own = attackRead[s.principal]?.count ?? 0
    let share = Double(persons) / Double(personCount)
    let stopped = stop.map { "\($0.alert.at - s.start) s" } ?? (first == nil ? "not detected" : "not stopped")
    let by = stop.map { "\($0.action.rawValue) (\($0.alert.kind))" } ?? first.map { "alert only (\($0.alert.kind))" } ?? "–"
    print("| \(s.name) | \(stopped) | \(by) | \(persons) | \(String(format: "%.2f", 100 * share))% | \(own) |")
    rows.append([
        "scenario": s.name, "detected": first != nil, "stopped": stop != nil, "seconds_to_stop": stop.map { $0.alert.at - s.start } as Any,
        "action": stop?.action.rawValue as Any, "kind": (stop ?? first)?.alert.kind as Any, "persons_exposed": persons, "share_exposed": share,
        "persons_read_by_attack": own, "explanation": (stop ?? first)?.alert.explanation as Any
    ])
}
for s in scenarios {
    if let a = actions.first(where: { belongs($0.alert)?.principal == s.principal && $0.action != .alert })
        ?? actions.first(where: { belongs($0.alert)?.principal == s.principal })
    {
        print("  \(s.name): \(a.alert.explanation)")
    }
}
print("")
let benign = actions.filter { belongs($0.alert) == nil }
print("Legitimate traffic (target: no throttle or suspension of a correctly-roled key; at most 1 alert a day):")
print("| role | principals | alerts | alerts a day | throttles | suspensions |")
print("| --- | ---: | ---: | ---: | ---: | ---: |")
var roleRows: [[String: Any]] = []
let principalsByRole: [String: Int] = ["app": keyCount, "batch": 1, "support": 1, "device": 300]
for role in ["app", "batch", "support", "device"] {
    let mine = benign.filter { roleName($0.alert.principal) == role }
    let throttles = mine.filter { $0.action == .throttle }.count, suspensions = mine.filter { $0.action == .suspend }.count
    print(
        "| \(role) | \(principalsByRole[role]!) | \(mine.count) | \(String(format: "%.2f", Double(mine.count) / Double(days))) | \(throttles) | \(suspensions) |"
    )
    roleRows.append(["role": role, "principals": principalsByRole[role]!, "alerts": mine.count, "throttles": throttles, "suspensions": suspensions])
}
for a in benign.prefix(8) {
    print("    day \(a.alert.at / day + 1) \(a.alert.severity.rawValue) \(a.alert.kind) → \(a.action.rawValue): \(a.alert.explanation)")
}
print("throttles lifted when the shape was calm again: \(lifts.count)")
let json: [String: Any] = [
    "benchmark": "guard-harness", "commit": commit, "machine": "\(ProcessInfo.processInfo.activeProcessorCount) cores, \(cpu)", "days": days, "keys": keyCount,
    "persons": personCount, "audience": audience, "new_persons": newPersons, "events": all.count, "seed": Int(seed),
    "scenarios": rows, "benign": roleRows, "benign_alerts": benign.count, "benign_alerts_per_day": Double(benign.count) / Double(days),
    "benign_throttles": benign.filter { $0.action == .throttle }.count, "benign_suspensions": benign.filter { $0.action == .suspend }.count,
    "lifts": lifts.count, "seconds": seconds
]
print(String(decoding: try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]), as: UTF8.self))
