import Crypto
import Foundation
import TactCore
import TactRecommend

/// Interest topics computed on the device from its own history, with the same rules as the server
/// (`InterestTopics`: weekly epochs, one topic per epoch from the top five, a random one with
/// probability 5%). Only the topics leave the device, and only if the app chooses to send them; the
/// history never does. The seed is derived from the device's key, so the random topic cannot be told
/// apart from a real one by anyone else.
public struct DeviceTopics: Sendable {
    public let taxonomy: TopicTaxonomy
    public var epochs = 3
    public var noise = 0.05
    private let seed: UInt64

    /// `taxonomy` as the server publishes it (`GET /v1/ads/topics`, which the app's backend reads with
    /// its key and hands to the device); `key` the device's own key.
    public init(taxonomy: TopicTaxonomy, key: SymmetricKey) {
        self.taxonomy = taxonomy
        let mac = HMAC<SHA256>.authenticationCode(for: Array("tact/device-topics/v1".utf8), using: key)
        seed = Array(mac).prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    }

    /// The topics of `history` now; `catalog` gives each item's tags (from the app's catalog).
    public func topics(of history: DeviceHistory, catalog: [String: Item], now: Int64 = Int64(Date().timeIntervalSince1970)) -> [String] {
        let events: [InterestTopics.Event] = history.entries.compactMap { entry in
            catalog[entry.item].map { (item: $0, strength: entry.value, at: entry.at) }
        }
        return InterestTopics(taxonomy: taxonomy, epochs: epochs, noise: noise).topics(history: events, now: now, seed: seed)
    }
}
