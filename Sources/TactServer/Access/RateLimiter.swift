import Foundation
import NIOConcurrencyHelpers

/// Token buckets, one per API key: each request takes a token; tokens come back at `rate` per second
/// up to `burst`.
final class RateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: Double
    }

    let rate: Double
    let burst: Double
    private let buckets = NIOLockedValueBox<[String: Bucket]>([:])
    /// Keys the Guard throttled: their own, lower rate (requests per second).
    private let throttled = NIOLockedValueBox<[String: Double]>([:])
    /// Across servers (see `GuardService.sync`): the requests this server admitted per key since the
    /// last `takeUsage()`, and the rate at which other servers are admitting each key's requests,
    /// which this server's buckets do not refill (so that N servers together admit a key's rate, not N times it).
    private let usage = NIOLockedValueBox<[String: Int]?>(nil)
    private let elsewhere = NIOLockedValueBox<[String: Double]>([:])

    /// From now on `key` may make `rate` requests per second (the Guard's throttle).
    func throttle(_ key: String, rate: Double) { throttled.withLockedValue { $0[key] = rate } }
    func rate(of key: String) -> Double { throttled.withLockedValue { $0[key] } ?? rate }
    /// Back to the common rate (a throttle lifted).
    func unthrottle(_ key: String) { throttled.withLockedValue { $0[key] = nil } }
    /// The keys throttled now.
    var throttledKeys: [String] { throttled.withLockedValue { Array($0.keys) } }

    init(rate: Double, burst: Double) {
        self.rate = rate
        self.burst = max(1, burst)
    }

    /// Starts counting the requests admitted per key, for `takeUsage()`.
    func countUsage() { usage.withLockedValue { if $0 == nil { $0 = [:] } } }

    /// The requests admitted per key since the last call (empty unless `countUsage()` was called).
    func takeUsage() -> [String: Int] {
        usage.withLockedValue { u in
            defer { if u != nil { u = [:] } }
            return u ?? [:]
        }
    }

    /// The rates (requests per second) at which other servers admit each key's requests now.
    func setElsewhere(_ rates: [String: Double]) { elsewhere.withLockedValue { $0 = rates } }

    /// Takes a token for `key`; nil if one was available, else the seconds until one will be.
    func take(_ key: String, now: Double = ProcessInfo.processInfo.systemUptime) -> Double? {
        let rate = self.rate(of: key), burst = rate < self.rate ? max(1, rate) : self.burst
        // What other servers admit of this key's rate is not refilled here.
        let refill = max(0, rate - (elsewhere.withLockedValue { $0[key] } ?? 0))
        let wait: Double? = buckets.withLockedValue { buckets in
            var bucket = buckets[key] ?? Bucket(tokens: burst, updated: now)
            bucket.tokens = min(burst, bucket.tokens + (now - bucket.updated) * refill)
            bucket.updated = now
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                buckets[key] = bucket
                return nil
            }
            buckets[key] = bucket
            return rate > 0 ? (1 - bucket.tokens) / max(refill, rate * 0.01) : .infinity
        }
        if wait == nil { usage.withLockedValue { if $0 != nil { $0![key, default: 0] += 1 } } }
        return wait
    }
}
