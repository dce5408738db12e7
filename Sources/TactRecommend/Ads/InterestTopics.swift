import TactCore

/// A person's interest topics the way the Topics API makes them: time is cut into weekly epochs; for
/// each of the last `epochs` epochs, one topic is drawn from the person's top five of that epoch
/// (by strength of what they had that week) and, with probability `noise`, replaced by a topic drawn
/// uniformly from the whole taxonomy (plausible deniability: no single topic proves an interest).
/// The draws are seeded by the person and the epoch, so asking again gives the same answer. Only
/// recent epochs count: older history makes no topic. Pure: servers and devices compute it alike.
public struct InterestTopics: Sendable {
    public let taxonomy: TopicTaxonomy
    /// How many recent epochs give a topic each.
    public var epochs: Int
    /// Probability that an epoch's topic is a random one.
    public var noise: Double
    /// How many of an epoch's strongest topics the draw chooses from.
    public var topPerEpoch: Int

    public init(taxonomy: TopicTaxonomy, epochs: Int = 3, noise: Double = 0.05, topPerEpoch: Int = 5) {
        self.taxonomy = taxonomy
        self.epochs = epochs
        self.noise = noise
        self.topPerEpoch = topPerEpoch
    }

    /// Weeks since Monday 1969-12-29 (epochs turn on Monday 00:00 UTC).
    public static func epoch(of seconds: Int64) -> Int64 { (seconds / 86_400 + 3) / 7 }

    /// One event of a history: the item, how strong, and when (seconds since 1970).
    public typealias Event = (item: Item, strength: Float, at: Int64)

    /// The topics for the epochs ending with the one holding `now`, newest first, without repeats.
    /// `seed` must be secret and stable per person (a keyed hash of their pseudonym, or a device key).
    public func topics(history: [Event], now: Int64, seed: UInt64) -> [String] {
        let current = Self.epoch(of: now)
        var out: [String] = []
        for back in 0..<Int64(epochs) {
            let epoch = current - back
            var weights: [String: Float] = [:]
            for e in history where Self.epoch(of: e.at) == epoch && e.strength > 0 {
                for topic in taxonomy.topics(of: e.item) { weights[topic, default: 0] += e.strength }
            }
            guard !weights.isEmpty else { continue }
            let top = weights.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(topPerEpoch).map(\.key)
            var random = SplitMix64(seed: seed ^ UInt64(bitPattern: epoch) &* 0x9E37_79B9_7F4A_7C15)
            let topic: String
            if random.unit() < noise, !taxonomy.topics.isEmpty {
                topic = taxonomy.topics[Int(random.next(below: UInt64(taxonomy.topics.count)))]
            } else {
                topic = top[Int(random.next(below: UInt64(top.count)))]
            }
            if !out.contains(topic) { out.append(topic) }
        }
        return out
    }
}
