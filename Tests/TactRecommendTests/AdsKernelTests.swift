import TactCore
import Testing

@testable import TactRecommend

/// The taxonomy, interest topics and ad selection, on data worked by hand.
@Suite struct AdsKernelTests {
    static let week: Int64 = 7 * 86_400
    static let now: Int64 = 1_796_000_000 + 3 * 86_400  // a Thursday, mid-epoch
    static let rock = Item(id: "r", tags: ["rock", "live"]), jazz = Item(id: "j", tags: ["jazz"]), ad = Item(id: "a", tags: ["rock", "sponsored"])

    @Test("the taxonomy is the most common tags, sponsored left out, and names an item's topics in its order")
    func taxonomy() {
        let t = TopicTaxonomy.derive(from: [Self.rock, Self.jazz, Self.ad, Item(id: "x", tags: ["rock"])], size: 2)
        #expect(t.topics == ["rock", "jazz"])
        #expect(t.topics(of: Self.rock) == ["rock"] && !t.contains("sponsored"))
    }

    @Test("topics come from recent epochs only, one per epoch, the same when asked again; noise replaces them with taxonomy topics")
    func topics() {
        let taxonomy = TopicTaxonomy(topics: ["rock", "jazz", "live", "folk"])
        let model = InterestTopics(taxonomy: taxonomy, epochs: 3, noise: 0)
        let history: [InterestTopics.Event] = [
            (Self.jazz, 5, Self.now - 3_600),  // this week
            (Self.rock, 5, Self.now - Self.week),  // last week
            (Self.jazz, 9, Self.now - 10 * Self.week)  // too old: no topic
        ]
        let topics = model.topics(history: history, now: Self.now, seed: 42)
        #expect(topics.first == "jazz")
        #expect(Set(topics).isSubset(of: ["jazz", "rock", "live"]) && topics.count == 2)
        #expect(model.topics(history: history, now: Self.now, seed: 42) == topics, "asking again gives the same answer")
        #expect(model.topics(history: [(Self.jazz, 9, Self.now - 10 * Self.week)], now: Self.now, seed: 42).isEmpty)
        let noisy = InterestTopics(taxonomy: taxonomy, epochs: 1, noise: 1)
        var seen = Set<String>()
        for seed in UInt64(0)..<200 { seen.formUnion(noisy.topics(history: history, now: Self.now, seed: seed)) }
        #expect(seen == Set(taxonomy.topics), "a random topic can be any topic: \(seen)")
        var real = 0
        let rare = InterestTopics(taxonomy: taxonomy, epochs: 1, noise: 0.05)
        for seed in UInt64(0)..<2_000 where rare.topics(history: history, now: Self.now, seed: seed) == ["jazz"] { real += 1 }
        #expect(real > 1_850 && real < 1_990, "about 5% (+ a quarter of them jazz again) are random: \(real)")
    }

    static func campaign(
        _ id: String, advertiser: String? = nil, topics: [String] = [], context: [String] = [], bid: Double = 2,
        budget: Double = 100, cap: Int = 3
    ) -> AdCampaign {
        AdCampaign(
            id: id, advertiser: advertiser ?? id, name: id, creative: .init(headline: id, url: "https://example.com"), topics: topics,
            contextTopics: context, bidCPM: bid, dailyBudget: budget, frequencyCap: cap)
    }

    @Test("selection: interests need the audience of k and the consent; context for everyone else; caps, budgets, one ad per advertiser")
    func selection() {
        let selector = AdSelector(minimumAudience: 50)
        let campaigns = [
            Self.campaign("rock-ad", topics: ["rock"], bid: 3), Self.campaign("jazz-page", context: ["jazz"], bid: 1),
            Self.campaign("narrow", topics: ["rock", "folk"], bid: 9)
        ]
        let audience = ["rock-ad": 120, "narrow": 12]
        let person = selector.select(
            campaigns, k: 3, topics: ["rock", "folk"], contextTopics: ["jazz"], totals: [:], shownToday: [:],
            audience: audience, dayFraction: 0.5)
        #expect(person.map(\.campaign.id) == ["rock-ad", "jazz-page"], "'narrow' reaches 12 < k people: never served")
        #expect(person.first?.reason == .interest("rock") && person.last?.reason == .context)
        let stranger = selector.select(
            campaigns, k: 3, topics: nil, contextTopics: ["jazz"], totals: [:], shownToday: [:], audience: audience, dayFraction: 0.5)
        #expect(stranger.map(\.campaign.id) == ["jazz-page"], "without consent only the page counts")
        let capped = selector.select(
            campaigns, k: 3, topics: ["rock"], contextTopics: [], totals: [:], shownToday: ["rock-ad": 3],
            audience: audience, dayFraction: 0.5)
        #expect(capped.isEmpty)
        // Budget 100 a day, half the day gone, pacing slack 10%: 60 may be spent by now.
        let spent = selector.select(
            campaigns, k: 3, topics: ["rock"], contextTopics: [], totals: ["rock-ad": .init(spentToday: 60)],
            shownToday: [:], audience: audience, dayFraction: 0.5)
        #expect(spent.isEmpty)
        // Click rates: a campaign that gets clicked outranks a higher bid that does not.
        let two = [
            Self.campaign("clicked", advertiser: "A", context: ["jazz"], bid: 1), Self.campaign("ignored", advertiser: "B", context: ["jazz"], bid: 2),
            Self.campaign("same-advertiser", advertiser: "A", context: ["jazz"], bid: 1.5)
        ]
        let ranked = selector.select(
            two, k: 3, topics: nil, contextTopics: ["jazz"],
            totals: ["clicked": .init(impressions: 1_000, clicks: 100), "ignored": .init(impressions: 1_000, clicks: 0)],
            shownToday: [:], audience: [:], dayFraction: 0.5)
        #expect(ranked.map(\.campaign.id) == ["clicked", "ignored"], "one ad per advertiser: \(ranked.map(\.campaign.id))")
    }
}
