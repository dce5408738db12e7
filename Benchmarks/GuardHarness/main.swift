// The Guard's detection harness: simulated days of benign traffic for many keys and person tokens
// (diurnal rates, popular and rare persons, background refusals and errors, a few daytime exports),
// with attacks injected after two days of warm-up. The clock is the simulation's. On the first
// high or critical alert, the attacking principal is suspended; the harness counts the persons it
// read before that.
//
//   swift build -c release --product guard-harness --scratch-path .build-rel
//   .build-rel/release/guard-harness [--days 7] [--keys 20] [--persons 100000] [--seed 1]
//
// Prints a table per scenario (detected, alert, persons exposed before suspension: every person the
// principal read from the attack's start until suspension, its own benign traffic included, and of
// them those the attack's own requests read), the false alerts per simulated day of benign traffic,
// and one JSON line.
import Foundation
import TactCore
import TactGuard

func argument(_ name: String, _ fallback: Int) -> Int {
    let args = CommandLine.arguments
    guard let i = args.firstIndex(of: "--" + name), i + 1 < args.count, let v = Int(args[i + 1]) else { return fallback }
    return v
}
let days = argument("days", 7), keyCount = argument("keys", 20), personCount = argument("persons", 100_000)
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

/// A person drawn with popularity falling off as a power law (many repeat visitors, a long tail).
func person(_ r: inout SplitMix64) -> String {
    let u = r.unit()
    return "p\(Int(pow(u, 3) * Double(personCount)))"
}

/// Daytime-heavy activity: 0.15 at night up to 1.0 mid-afternoon (UTC).
func activity(_ t: Int64) -> Double {
    let hour = Double(t % day) / 3600
    return 0.15 + 0.85 * max(0, sin((hour - 6) / 16 * .pi))
}

struct Scenario {
    var name: String
    var principal: String
    var start: Int64
    var events: [AccessEvent]
}

var events: [AccessEvent] = []
// Benign keys: each serves an app, 20 to 80 requests a minute at peak.
let keys = (0..<keyCount).map { "key:app-\($0)" }
let peak = keys.map { _ in 20 + Double(random.next() % 60) }
for t in stride(from: Int64(0), to: Int64(days) * day, by: 60) {
    for (k, key) in keys.enumerated() {
        let mean = peak[k] * activity(t)
        let n = Int((mean + (random.unit() - 0.5) * mean * 0.4).rounded())
        for _ in 0..<max(0, n) {
            let at = t + Int64(random.next() % 60)
            let roll = random.unit()
            let status = roll < 0.01 ? 429 : roll < 0.015 ? 404 : 200
            events.append(AccessEvent(at: at, principal: key, person: person(&random), route: route, status: status))
        }
    }
    // Person tokens: 300 people look at their own data now and then, by day.
    if random.unit() < 0.6 * activity(t) {
        let who = Int(random.next() % 300)
        events.append(
            AccessEvent(
                at: t + Int64(random.next() % 60), principal: "person-token:\(who)", person: "p\(who)",
                route: "GET /v1/people/{person}/consent"))
    }
    // The rights desk exports a few people's data in office hours.
    let hour = (t % day) / 3600
    if (9..<17).contains(hour), random.unit() < 0.01 {
        events.append(AccessEvent(at: t, principal: "key:rights-desk", person: person(&random), route: "GET /v1/people/{person}/export", kind: .export))
    }
}

// Attacks, from day 3 on.
var scenarios: [Scenario] = []
let d3 = 2 * day, d4 = 3 * day, d5 = 4 * day, d6 = 5 * day
// 1. A leaked app key scrapes every person in order at 20 requests a second, at 14:00.
scenarios.append(
    Scenario(
        name: "bulk scraping with a leaked key", principal: "key:app-3", start: d3 + 14 * 3600,
        events: (0..<36_000).map { i in AccessEvent(at: d3 + 14 * 3600 + Int64(i / 20), principal: "key:app-3", person: "p\(i)", route: route) }))
// 2. Slow enumeration: another leaked key reads one new person every 4 s, day and night, for 24 hours.
scenarios.append(
    Scenario(
        name: "slow enumeration under the rate limit", principal: "key:app-7", start: d4 + 8 * 3600,
        events: (0..<21_600).map { i in AccessEvent(at: d4 + 8 * 3600 + Int64(i * 4), principal: "key:app-7", person: "p\(50_000 + i)", route: route) }))
// 3. The rights desk's key exports 200 people at 03:00.
scenarios.append(
    Scenario(
        name: "off-hours export burst", principal: "key:rights-desk", start: d5 + 3 * 3600,
        events: (0..<200).map { i in
            AccessEvent(
                at: d5 + 3 * 3600 + Int64(i * 2), principal: "key:rights-desk", person: person(&random),
                route: "GET /v1/people/{person}/export", kind: .export)
        }))
// 4. A person token replayed against other persons: every try refused.
scenarios.append(
    Scenario(
        name: "person token replayed against other persons", principal: "person-token:17", start: d5 + 11 * 3600,
        events: (0..<300).map { i in
            AccessEvent(
                at: d5 + 11 * 3600 + Int64(i), principal: "person-token:17", person: "p\(10_000 + i)",
                route: "GET /v1/people/{person}/consent", status: 403)
        }))
// 5. A canary read through an app key.
scenarios.append(
    Scenario(
        name: "canary touched", principal: "key:app-11", start: d6 + 16 * 3600,
        events: [AccessEvent(at: d6 + 16 * 3600, principal: "key:app-11", person: "canary-2", route: route)]))
let attackEvents = scenarios.flatMap(\.events)
let all = (events + attackEvents).sorted { $0.at < $1.at }

var settings = AccessMonitor.Settings()
settings.canaries = Set((0..<5).map { "canary-\($0)" })
var monitor = AccessMonitor(settings: settings)
var suspended: [String: Int64] = [:]
var alerts: [GuardAlert] = []
let attackers = Dictionary(uniqueKeysWithValues: scenarios.map { ($0.principal, $0) })
var exposed: [String: Set<String>] = [:]
/// Persons the attack's own requests read before suspension (`exposed` also counts the key's benign traffic after the attack began).
var attackRead: [String: Set<String>] = [:]
let attackIDs = Set(scenarios.flatMap { s in s.events.map { "\($0.at) \($0.principal) \($0.person ?? "")" } })
let started = Date()
for e in all {
    if let at = suspended[e.principal], e.at >= at { continue }
    if let s = attackers[e.principal], e.at >= s.start, e.status < 400, let p = e.person {
        exposed[e.principal, default: []].insert(p)
        if attackIDs.contains("\(e.at) \(e.principal) \(p)") { attackRead[e.principal, default: []].insert(p) }
    }
    for alert in monitor.observe(e) {
        alerts.append(alert)
        // The first two days are the warm-up: the monitor learns, nobody is suspended.
        if alert.severity >= .high, alert.at >= 2 * day, suspended[alert.principal] == nil { suspended[alert.principal] = alert.at }
    }
}
alerts += monitor.close(until: Int64(days) * day + 600)
let seconds = Date().timeIntervalSince(started)

/// An alert belongs to a scenario if it names the scenario's principal after the attack began.
func belongs(_ a: GuardAlert) -> Scenario? {
    guard let s = attackers[a.principal], a.at >= s.start else { return nil }
    return s
}
let falseAlerts = alerts.filter { belongs($0) == nil && $0.at >= 2 * day }
let warmupAlerts = alerts.filter { $0.at < 2 * day }
let benignDays = Double(days - 2)
print(
    "Guard harness: \(days) simulated days (2 of warm-up), \(keyCount) app keys, 300 person tokens, \(personCount) persons, \(all.count) events; seed \(seed)")
print(
    "machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, \(cpu); \(String(format: "%.1f", seconds)) s, \(String(format: "%.0f", Double(all.count) / seconds)) events/s"
)
print("")
var rows: [[String: Any]] = []
for s in scenarios {
    let first = alerts.filter { belongs($0)?.principal == s.principal }.min { $0.at < $1.at }
    let persons = exposed[s.principal]?.count ?? 0, own = attackRead[s.principal]?.count ?? 0
    let delay = first.map { $0.at - s.start }
    print(
        "\(s.name): \(first == nil ? "NOT DETECTED" : "detected after \(delay!) s (\(first!.severity.rawValue), \(first!.kind))"); persons exposed before suspension: \(persons) (\(String(format: "%.2f", 100 * Double(persons) / Double(personCount)))%), of them read by the attack's own requests: \(own)"
    )
    if let first { print("    \(first.explanation)") }
    rows.append([
        "scenario": s.name, "detected": first != nil, "seconds_to_alert": delay as Any, "severity": first?.severity.rawValue as Any,
        "persons_exposed": persons, "share_exposed": Double(persons) / Double(personCount), "persons_read_by_attack": own,
        "explanation": first?.explanation as Any
    ])
}
print("")
print("alerts during the 2 warm-up days (baselines still forming; no one suspended): \(warmupAlerts.count)")
print(
    "false alerts on benign traffic: \(falseAlerts.count) over \(Int(benignDays)) days (\(String(format: "%.2f", Double(falseAlerts.count) / benignDays)) per day; target ≤ 1)"
)
for a in falseAlerts.prefix(5) { print("    \(a.severity.rawValue) \(a.kind): \(a.explanation)") }

let json: [String: Any] = [
    "benchmark": "guard-harness", "commit": commit, "machine": "\(ProcessInfo.processInfo.activeProcessorCount) cores, \(cpu)", "days": days, "keys": keyCount,
    "persons": personCount, "events": all.count,
    "scenarios": rows, "false_alerts": falseAlerts.count, "warmup_alerts": warmupAlerts.count, "false_alerts_per_day": Double(falseAlerts.count) / benignDays,
    "seconds": seconds
]
print(String(decoding: try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]), as: UTF8.self))
