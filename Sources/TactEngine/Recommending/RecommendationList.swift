import TactCore
import TactRecommend

/// What a caller asks of a list: its length, its filter, how many reasons per item, and re-ranking.
public struct RecommendationRequest: Sendable {
    public var k: Int
    public var filter: RecommendationFilter
    public var reasonsPerItem: Int
    public var rerank: RerankOptions

    public init(k: Int, filter: RecommendationFilter = .init(), reasonsPerItem: Int = 3, rerank: RerankOptions = .init()) {
        self.k = k
        self.filter = filter
        self.reasonsPerItem = reasonsPerItem
        self.rerank = rerank
    }
}

/// Why an item is in a list.
public enum RecommendationReason: Sendable, Equatable {
    /// An item of the person's (or the session's) history, and its share of the score (0...1).
    case becauseYouHad(Item, share: Float)
    /// Its rank among everyone's favourites: nothing about the person chose it.
    case popular(rank: Int)
    /// A new item, chosen by exploration for how well its tags match the history (0...1).
    case newForYou(match: Float)
}

/// One item of a list, as the catalog holds it now.
public struct RecommendedItem: Sendable {
    public let item: Item
    public let score: Float
    public let reasons: [RecommendationReason]
}

/// Why a list is not personalized.
public enum FallbackReason: String, Sendable, CaseIterable {
    /// The person's consent does not permit personalization (or they restricted processing).
    case noPersonalizationConsent = "no-personalization-consent"
    /// Nothing of theirs is in the model.
    case noHistory = "no-history"
    /// Nothing is stored for the person.
    case unknownPerson = "unknown-person"
    /// No model is trained yet.
    case noModel = "no-model"
    /// None of a session's items is known to the model.
    case noKnownItems = "no-known-items"
}

/// A list for a person or a session: personalized, or everyone's favourites and why.
public struct RecommendationList: Sendable {
    public let items: [RecommendedItem]
    /// Nil when the list was chosen from the person's (or session's) own history; it may then be topped
    /// up with everyone's favourites when too few items the model knows pass the filter.
    public let fallback: FallbackReason?
    public var personalized: Bool { fallback == nil }
}

/// Sponsored items for a person, or why there are none.
public struct SponsoredList: Sendable {
    public enum Empty: String, Sendable {
        /// The person's consent does not permit advertising.
        case noAdvertisingConsent = "no-advertising-consent"
        /// No sponsored item passes.
        case nothingSponsored = "nothing-sponsored"
    }

    public let items: [RecommendedItem]
    public let empty: Empty?
}
