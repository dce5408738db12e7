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

    /// From now on `key` may make `rate` requests per second (the Guard's throttle).
    func throttle(_ key: String, rate: Double) { throttled.withLockedValue { $0[key] = rate } }
    func rate(of key: String) -> Double { throttled.withLockedValue { $0[key] } ?? rate }

    init(rate: Double, burst: Double) {
        self.rate = rate
        self.burst = max(1, burst)
    }

    /// Takes a token for `key`; nil if one was available, else the seconds until one will be.
    func take(_ key: String, now: Double = ProcessInfo.processInfo.systemUptime) -> Double? {
        let rate = self.rate(of: key), burst = rate < self.rate ? max(1, rate) : self.burst
        return buckets.withLockedValue { buckets in
            var bucket = buckets[key] ?? Bucket(tokens: burst, updated: now)
            bucket.tokens = min(burst, bucket.tokens + (now - bucket.updated) * rate)
            bucket.updated = now
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                buckets[key] = bucket
                return nil
            }
            buckets[key] = bucket
            return rate > 0 ? (1 - bucket.tokens) / rate : .infinity
        }
    }
}
