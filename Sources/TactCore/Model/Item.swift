/// Something that can be recommended: a film, a song, a product, an article.
public struct Item: Hashable, Sendable, Codable {
    /// The catalog's own id for the item (not personal data).
    public var id: String
    public var title: String
    /// Tags or categories, used by filters and shown with reasons.
    public var tags: [String]
    /// When the item was created or released, in seconds since 1970; nil if unknown.
    public var createdAt: Int64?

    public init(id: String, title: String = "", tags: [String] = [], createdAt: Int64? = nil) {
        self.id = id
        self.title = title
        self.tags = tags
        self.createdAt = createdAt
    }
}

extension Item {
    /// Items tagged with this are the advertising inventory: shown only as placements (never in
    /// recommendations, sessions or playlists) and only to people whose consent permits advertising.
    public static let sponsoredTag = "sponsored"
}
