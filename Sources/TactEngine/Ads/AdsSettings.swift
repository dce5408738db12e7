/// The rules of privacy-preserving advertising, with their defaults.
public struct AdsSettings: Sendable, Equatable {
    /// The smallest audience a campaign may target (k-anonymity), at creation and when serving.
    public var minimumAudience = 50
    /// Topics come from this many recent weekly epochs, one per epoch.
    public var topicEpochs = 3
    /// Probability that an epoch's topic is a random one (plausible deniability).
    public var topicNoise = 0.05
    /// Topics in the taxonomy (the most common item tags).
    public var taxonomySize = 50
    /// Audiences and the taxonomy are recomputed at most this often (seconds).
    public var audienceRefreshSeconds = 600.0
    /// A noisy report count below this is suppressed.
    public var reportMinimumCount = 20
    /// The most one person (or one anonymous impression) adds to a report's impressions, clicks and conversions.
    public var impressionCap = 10, clickCap = 3, conversionCap = 1

    public init() {}

    /// The largest share of the ads budget (the ledger's budget for `ledgerDataset`) that one advertiser's
    /// reports may spend, so that no advertiser can use up what every advertiser's reports share.
    public var advertiserShare = 0.5

    /// The privacy ledger's dataset every advertiser's reports are charged to. One person's ad events
    /// can reach many advertisers' reports, so what that person loses is the sum over all of them: one
    /// dataset for all advertisers makes the ledger's total that sum (issue 23, point 8). Until then
    /// each advertiser had a dataset of its own (`ads:KEY`), and a person seen by n advertisers lost up
    /// to n times the budget.
    public static let ledgerDataset = "ads"

    /// How a report's release names the advertiser it was for (its campaign's owner), so that each
    /// advertiser's share can be summed.
    public static func releaseOwner(_ owner: String) -> String { "advertiser " + (owner.isEmpty ? "unowned" : owner) }
    /// The ε one report may spend.
    public static let reportEpsilonRange: ClosedRange<Double> = 0.05...2
}
