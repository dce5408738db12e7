/// Picks the ads to show: every eligible campaign ranked by bid × predicted click rate, within its
/// paced budget, its frequency cap and the k-anonymity of its audience. Pure and fast: the caller
/// holds the campaigns, their totals and the person's counts.
public struct AdSelector: Sendable {
    /// Today's and all-time totals of one campaign.
    public struct Totals: Sendable, Equatable {
        public var impressions = 0
        public var clicks = 0
        public var spentToday = 0.0
        public init(impressions: Int = 0, clicks: Int = 0, spentToday: Double = 0) {
            self.impressions = impressions
            self.clicks = clicks
            self.spentToday = spentToday
        }
    }

    /// Why an ad was chosen.
    public enum Reason: Sendable, Equatable {
        /// The person holds the campaign's topics; the first is named in the reason.
        case interest(String)
        /// The page or item being viewed fits the campaign.
        case context
    }

    public struct Choice: Sendable, Equatable {
        public var campaign: AdCampaign
        public var reason: Reason
        public var score: Double
        public var predictedClickRate: Double
    }

    /// The smallest audience a campaign may target (k-anonymity).
    public var minimumAudience: Int
    /// A campaign's click rate before it has data: clicks + priorClicks over impressions + priorImpressions.
    public var priorClicks = 1.0, priorImpressions = 100.0
    /// Budgets are paced evenly through the day, with this much of the day's budget allowed ahead.
    public var pacingSlack = 0.1

    public init(minimumAudience: Int = 50) { self.minimumAudience = minimumAudience }

    /// `select` over only the campaigns the index says the request could match.
    public func select(
        _ index: AdCampaignIndex, k: Int, topics: [String]?, contextTopics: [String], totals: [String: Totals],
        shownToday: [String: Int], audience: [String: Int], dayFraction: Double
    ) -> [Choice] {
        select(
            index.candidates(topics: topics, contextTopics: contextTopics), k: k, topics: topics, contextTopics: contextTopics,
            totals: totals, shownToday: shownToday, audience: audience, dayFraction: dayFraction)
    }

    /// Up to `k` ads, best first, one per advertiser.
    /// - `topics`: the person's interest topics, nil when their consent does not permit interest-based ads
    ///   (then only context counts, and nothing about them is used).
    /// - `shownToday`: the person's impressions per campaign today (empty when not counted).
    /// - `audience`: the number of people each topic combination reaches, by campaign id.
    /// - `dayFraction`: how much of the day (UTC) has passed, 0...1, for pacing.
    public func select(
        _ campaigns: [AdCampaign], k: Int, topics: [String]?, contextTopics: [String], totals: [String: Totals],
        shownToday: [String: Int], audience: [String: Int], dayFraction: Double
    ) -> [Choice] {
        guard k > 0 else { return [] }
        let personTopics = Set(topics ?? [])
        let context = Set(contextTopics)
        var choices: [Choice] = []
        for campaign in campaigns where campaign.status == .active {
            let total = totals[campaign.id] ?? Totals()
            guard total.spentToday + campaign.impressionCost <= campaign.dailyBudget * min(1, dayFraction + pacingSlack) else { continue }
            var reason: Reason?
            var match = 0.0
            if topics != nil, !campaign.topics.isEmpty, (audience[campaign.id] ?? 0) >= minimumAudience,
                campaign.topics.allSatisfy(personTopics.contains), (shownToday[campaign.id] ?? 0) < campaign.frequencyCap
            {
                reason = .interest(campaign.topics[0])
                match = 1.5
            } else if !campaign.contextTopics.isEmpty, !context.isEmpty {
                let shared = campaign.contextTopics.filter(context.contains).count
                if shared > 0, topics == nil || (shownToday[campaign.id] ?? 0) < campaign.frequencyCap {
                    reason = .context
                    match = 1 + 0.5 * Double(shared) / Double(campaign.contextTopics.count)
                }
            }
            guard let reason else { continue }
            let rate = (Double(total.clicks) + priorClicks) / (Double(total.impressions) + priorImpressions) * match
            choices.append(Choice(campaign: campaign, reason: reason, score: campaign.bidCPM * rate, predictedClickRate: rate))
        }
        choices.sort { $0.score != $1.score ? $0.score > $1.score : $0.campaign.id < $1.campaign.id }
        var advertisers = Set<String>(), out: [Choice] = []
        for choice in choices where advertisers.insert(choice.campaign.advertiser).inserted {
            out.append(choice)
            if out.count == k { break }
        }
        return out
    }
}
