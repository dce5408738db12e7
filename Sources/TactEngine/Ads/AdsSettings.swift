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

    /// The privacy ledger's dataset an advertiser's reports are charged to: one per owner (the key that
    /// created the campaigns), so one advertiser cannot spend another's budget.
    public static func ledgerDataset(owner: String) -> String { "ads:" + (owner.isEmpty ? "unowned" : owner) }
    /// The ε one report may spend.
    public static let reportEpsilonRange: ClosedRange<Double> = 0.05...2
}
