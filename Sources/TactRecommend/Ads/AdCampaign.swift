/// An advertising campaign: who pays, what is shown, whom it may reach and at what price.
public struct AdCampaign: Sendable, Equatable, Codable {
    public enum Status: String, Sendable, Codable, CaseIterable { case active, paused, ended }

    public struct Creative: Sendable, Equatable, Codable {
        public var headline: String
        public var body: String
        /// Where a click leads (http or https).
        public var url: String

        public init(headline: String, body: String = "", url: String) {
            self.headline = headline
            self.body = body
            self.url = url
        }

        /// `body` may be left out.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            headline = try c.decode(String.self, forKey: .headline)
            body = try c.decodeIfPresent(String.self, forKey: .body) ?? ""
            url = try c.decode(String.self, forKey: .url)
        }
    }

    public var id: String
    public var advertiser: String
    public var name: String
    public var creative: Creative
    /// Interest topics the audience must all hold (a combination narrows it); empty: no interest targeting.
    public var topics: [String]
    /// Topics of the page or item being viewed that the ad fits; empty: no contextual targeting.
    public var contextTopics: [String]
    /// Price per thousand impressions, in the currency's units.
    public var bidCPM: Double
    /// Spend allowed per day (UTC), paced evenly through it.
    public var dailyBudget: Double
    /// Most impressions per person per day (for people whose consent lets us count).
    public var frequencyCap: Int
    public var status: Status
    public var createdAt: Int64
    /// Who manages it: the id of the API key that created it ("cli" from the command line). Only that
    /// key (or an admin key) lists it, changes it and reads its reports.
    public var owner: String

    public init(
        id: String, advertiser: String, name: String, creative: Creative, topics: [String] = [], contextTopics: [String] = [],
        bidCPM: Double, dailyBudget: Double, frequencyCap: Int = 3, status: Status = .active, createdAt: Int64 = 0, owner: String = ""
    ) {
        self.id = id
        self.advertiser = advertiser
        self.name = name
        self.creative = creative
        self.topics = topics
        self.contextTopics = contextTopics
        self.bidCPM = bidCPM
        self.dailyBudget = dailyBudget
        self.frequencyCap = frequencyCap
        self.status = status
        self.createdAt = createdAt
        self.owner = owner
    }

    /// Cost of one impression.
    public var impressionCost: Double { bidCPM / 1000 }
}
