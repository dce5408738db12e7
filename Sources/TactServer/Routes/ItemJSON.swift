import TactCore

/// An item as the API shows it.
struct ItemJSON: Codable {
    var id: String
    var title: String
    var tags: [String]
    var createdAt: Int64?

    init(_ item: Item) {
        id = item.id
        title = item.title
        tags = item.tags
        createdAt = item.createdAt
    }
}
