/// A campaign as the store keeps it: its definition as JSON (the engine's `AdCampaign`), with the
/// fields the store itself needs.
public struct AdCampaignRecord: Sendable, Equatable {
    public var id: String
    public var advertiser: String
    public var status: String
    public var createdAt: Int64
    /// The whole campaign as JSON.
    public var definition: String

    public init(id: String, advertiser: String, status: String, createdAt: Int64, definition: String) {
        self.id = id
        self.advertiser = advertiser
        self.status = status
        self.createdAt = createdAt
        self.definition = definition
    }
}

/// One impression, click or conversion of a campaign. `subject` is set only when the person's consent
/// let the ad use their interests (for frequency caps and bounded contributions); contextual ads shown
/// to people without that consent record no one.
public struct AdEvent: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable { case impression, click, conversion }

    public var id: Int64
    public var campaign: String
    public var subject: SubjectRow?
    public var kind: Kind
    public var at: Int64
    /// What the impression cost (0 for clicks and conversions).
    public var cost: Double
    /// The impression's random token: clicks and conversions name it, and carry the same one.
    public var token: [UInt8]

    public init(id: Int64 = 0, campaign: String, subject: SubjectRow?, kind: Kind, at: Int64, cost: Double, token: [UInt8]) {
        self.id = id
        self.campaign = campaign
        self.subject = subject
        self.kind = kind
        self.at = at
        self.cost = cost
        self.token = token
    }
}

/// A campaign's counts: all-time impressions and clicks (for click rates), and spend since a time.
public struct AdTotals: Sendable, Equatable {
    public var impressions = 0
    public var clicks = 0
    public var conversions = 0
    public var spentSince = 0.0
    public init() {}
}
