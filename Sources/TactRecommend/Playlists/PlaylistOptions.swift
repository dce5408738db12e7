/// How a personalized playlist is put together.
public struct PlaylistOptions: Sendable, Equatable {
    /// Items in the playlist.
    public var length: Int
    /// Share (0...1) of familiar items, from the person's own history; the rest are discoveries.
    public var familiarShare: Float
    /// At most this many items of one group (tag, genre, artist); nil for no cap.
    public var maxPerGroup: Int?
    /// Weight (0...1) of an item's similarity to the one before it, against its relevance: higher is
    /// smoother, lower follows relevance more.
    public var smoothness: Float

    public init(length: Int = 30, familiarShare: Float = 0.3, maxPerGroup: Int? = nil, smoothness: Float = 0.5) {
        self.length = length
        self.familiarShare = familiarShare
        self.maxPerGroup = maxPerGroup
        self.smoothness = smoothness
    }
}
