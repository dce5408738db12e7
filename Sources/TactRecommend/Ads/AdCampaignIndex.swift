/// Campaigns indexed by what can make them eligible, so a request looks only at the campaigns its
/// topics or its page could match: interest campaigns under their first topic (a person must hold all
/// of them), contextual ones under each of their context topics.
public struct AdCampaignIndex: Sendable {
    public let campaigns: [AdCampaign]
    private let byTopic: [String: [Int32]]
    private let byContext: [String: [Int32]]

    public init(_ campaigns: [AdCampaign]) {
        self.campaigns = campaigns
        var byTopic: [String: [Int32]] = [:], byContext: [String: [Int32]] = [:]
        for (i, c) in campaigns.enumerated() where c.status == .active {
            if let first = c.topics.first { byTopic[first, default: []].append(Int32(i)) }
            for topic in Set(c.contextTopics) { byContext[topic, default: []].append(Int32(i)) }
        }
        self.byTopic = byTopic
        self.byContext = byContext
    }

    /// The campaigns a person with `topics` (nil: not used) on a page with `contextTopics` could see.
    public func candidates(topics: [String]?, contextTopics: [String]) -> [AdCampaign] {
        var seen = Set<Int32>(), out: [AdCampaign] = []
        for topic in topics ?? [] { for i in byTopic[topic] ?? [] where seen.insert(i).inserted { out.append(campaigns[Int(i)]) } }
        for topic in contextTopics { for i in byContext[topic] ?? [] where seen.insert(i).inserted { out.append(campaigns[Int(i)]) } }
        return out
    }
}
