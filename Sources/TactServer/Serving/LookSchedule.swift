import NIOConcurrencyHelpers

/// How often a cache asks the store whether someone else changed what it holds: at most once per
/// `interval`. The request that comes due asks; the others go on with what the cache holds.
final class LookSchedule: Sendable {
    let interval: Double
    private let last = NIOLockedValueBox<Double>(-.infinity)

    init(interval: Double) { self.interval = interval }

    /// Whether a look is due at `now` (seconds of uptime); if it is, the next one is due `interval` later.
    func isDue(now: Double) -> Bool {
        last.withLockedValue { last in
            guard now - last >= interval else { return false }
            last = now
            return true
        }
    }
}
