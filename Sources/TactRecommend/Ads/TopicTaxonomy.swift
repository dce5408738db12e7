import TactCore

/// A coarse taxonomy of interest topics, derived from the catalog: the most common item tags (genres),
/// at most `size` of them. An item's topics are its tags that are in the taxonomy.
public struct TopicTaxonomy: Sendable, Equatable {
    /// The topics, most common first.
    public let topics: [String]
    private let index: [String: Int]

    public init(topics: [String]) {
        self.topics = topics
        index = Dictionary(topics.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { a, _ in a })
    }

    /// The `size` most common tags of `items` (ties by name), leaving out `excluded` (e.g. "sponsored").
    public static func derive(from items: [Item], size: Int = 50, excluded: Set<String> = [Item.sponsoredTag]) -> TopicTaxonomy {
        var counts: [String: Int] = [:]
        for item in items { for tag in Set(item.tags) where !excluded.contains(tag) { counts[tag, default: 0] += 1 } }
        let ranked = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(size).map(\.key)
        return TopicTaxonomy(topics: ranked)
    }

    public func contains(_ topic: String) -> Bool { index[topic] != nil }

    /// The item's topics, in taxonomy order.
    public func topics(of item: Item) -> [String] {
        item.tags.filter { index[$0] != nil }.sorted { index[$0]! < index[$1]! }
    }
}
