import Foundation
import NIOConcurrencyHelpers

/// What the operator console shows of this server's recent work: events accepted and refused per
/// minute over the last hour, and each route's latest latencies (for p50 and p99). Prometheus keeps
/// the full histograms at /metrics; this keeps only what a page can draw, in bounded memory.
final class RecentActivity: Sendable {
    struct Minute: Sendable, Equatable {
        /// Minutes since 1970.
        var minute: Int64
        var accepted = 0
        var refused = 0
    }

    struct RouteLatency: Sendable {
        var route: String
        var requests: Int
        var p50Milliseconds: Double
        var p99Milliseconds: Double
    }

    /// How many minutes of ingestion, and how many latest latencies per route, are kept.
    static let minutesKept = 60
    static let latenciesKept = 2_048

    private struct Window {
        var samples: [Int64] = []
        var next = 0
        var count = 0

        mutating func add(_ nanoseconds: Int64) {
            count += 1
            if samples.count < RecentActivity.latenciesKept { samples.append(nanoseconds); return }
            samples[next] = nanoseconds
            next = (next + 1) % samples.count
        }
    }

    private struct State {
        var minutes: [Minute] = []
        var windows: [String: Window] = [:]
    }

    private let state = NIOLockedValueBox(State())

    func recordEvents(accepted: Int, refused: Int, at date: Date = Date()) {
        let minute = Int64(date.timeIntervalSince1970 / 60)
        state.withLockedValue { s in
            if s.minutes.last?.minute != minute { s.minutes.append(Minute(minute: minute)) }
            s.minutes[s.minutes.count - 1].accepted += accepted
            s.minutes[s.minutes.count - 1].refused += refused
            if s.minutes.count > Self.minutesKept { s.minutes.removeFirst(s.minutes.count - Self.minutesKept) }
        }
    }

    func recordLatency(route: String, nanoseconds: Int64) {
        state.withLockedValue { s in s.windows[route, default: Window()].add(nanoseconds) }
    }

    /// The last hour, minute by minute (minutes without events included as zeros), ending at `now`.
    func ingestion(now: Date = Date()) -> [Minute] {
        let last = Int64(now.timeIntervalSince1970 / 60)
        let recorded = state.withLockedValue { $0.minutes }
        let byMinute = Dictionary(recorded.map { ($0.minute, $0) }, uniquingKeysWith: { a, _ in a })
        return (last - Int64(Self.minutesKept) + 1...last).map { byMinute[$0] ?? Minute(minute: $0) }
    }

    /// Every route seen, busiest first.
    func latencies() -> [RouteLatency] {
        let windows = state.withLockedValue { $0.windows }
        return windows.map { route, w in
            let sorted = w.samples.sorted()
            func quantile(_ q: Double) -> Double {
                guard !sorted.isEmpty else { return 0 }
                return Double(sorted[min(sorted.count - 1, Int((Double(sorted.count) * q).rounded(.up)) - 1)]) / 1e6
            }
            return RouteLatency(route: route, requests: w.count, p50Milliseconds: quantile(0.5), p99Milliseconds: quantile(0.99))
        }.sorted { $0.requests != $1.requests ? $0.requests > $1.requests : $0.route < $1.route }
    }
}
