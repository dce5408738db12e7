import Foundation
import TactCore
import Testing

@testable import TactGuard

/// The monitor on a day and a half of benign traffic for a few keys, then attacks: it stays quiet on
/// the benign traffic and catches each attack with an explanation.
@Suite struct AccessMonitorTests {
    let day: Int64 = 86_400

    func benign(days: Int, seed: UInt64) -> [AccessEvent] {
        var r = SplitMix64(seed: seed)
        var events: [AccessEvent] = []
        for t in stride(from: Int64(0), to: Int64(days) * day, by: 60) {
            let hour = Double(t % day) / 3600
            let activity = 0.15 + 0.85 * max(0, sin((hour - 6) / 16 * .pi))
            for k in 0..<3 {
                for _ in 0..<Int(20 * activity) {
                    events.append(AccessEvent(at: t + Int64(r.next() % 60), principal: "key:\(k)", person: "p\(Int(pow(r.unit(), 3) * 5000))", route: "GET /r"))
                }
            }
        }
        return events.sorted { $0.at < $1.at }
    }

    func run(_ events: [AccessEvent], canaries: Set<String> = []) -> [GuardAlert] {
        var settings = AccessMonitor.Settings()
        settings.canaries = canaries
        var monitor = AccessMonitor(settings: settings)
        var alerts: [GuardAlert] = []
        for e in events.sorted(by: { $0.at < $1.at }) { alerts += monitor.observe(e) }
        return alerts + monitor.close(until: (events.map(\.at).max() ?? 0) + 600)
    }

    @Test func quietOnBenignTrafficAfterWarmUp() {
        let alerts = run(benign(days: 3, seed: 1)).filter { $0.at >= day }
        #expect(alerts.isEmpty, "\(alerts.map(\.explanation))")
    }

    @Test func scrapingAlertsWithinTheWindowAndExplainsItself() throws {
        let start = 2 * day + 14 * 3600
        let scrape = (0..<6000).map { AccessEvent(at: start + Int64($0 / 20), principal: "key:1", person: "q\($0)", route: "GET /r") }
        let alerts = run(benign(days: 3, seed: 2) + scrape).filter { $0.at >= start && $0.principal == "key:1" }
        let first = try #require(alerts.first)
        // Volume (distinct persons in the window) or enumeration (persons not read in the last day):
        // whichever sees it first.
        #expect(first.severity == .high && ["volume", "enumeration"].contains(first.kind))
        #expect(first.at - start < 60)  // as it happens, not at the window's end
        #expect(first.explanation.contains("key:1 read") && first.explanation.contains("persons"))
    }

    @Test func refusedReplaysAndCanariesAlert() {
        let start = 2 * day + 11 * 3600
        let replay = (0..<60).map { AccessEvent(at: start + Int64($0), principal: "person-token:9", person: "x\($0)", route: "GET /c", status: 403) }
        let canary = [AccessEvent(at: start + 100, principal: "key:2", person: "canary-1", route: "GET /r")]
        let alerts = run(benign(days: 3, seed: 3) + replay + canary, canaries: ["canary-1"]).filter { $0.at >= start }
        #expect(alerts.contains { $0.principal == "person-token:9" && $0.severity >= .high })
        #expect(alerts.contains { $0.principal == "key:2" && $0.severity == .critical && $0.kind == "canary" })
    }

    @Test func isolationForestSeparatesOutliers() {
        var r = SplitMix64(seed: 4)
        let points = (0..<500).map { _ in [r.unit(), r.unit()] }
        let forest = IsolationForest(points: points, seed: 1)
        #expect(forest.score([0.5, 0.5]) < 0.55)
        #expect(forest.score([8, 8]) > 0.65)
    }
}
