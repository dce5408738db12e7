import Foundation
import TactCore
import TactPrivacy
import TactRecommend
import TactStore
import TactTestSupport
import Testing

@testable import TactEngine

/// Ads reports across advertisers (issue 23, point 8). A person's ad events reach the reports of every
/// advertiser whose ads they saw, so what they lose is the sum of those reports' ε. The ledger must
/// charge that sum to one budget, and each report's statistic before noise must move by at most its
/// caps when one contributor comes or goes.
@Suite struct AdsReportPrivacyTests {
    let tmp = TemporaryDirectory()

    /// Campaigns of three advertisers (the keys that own them); k1 runs two.
    static let campaigns: [(id: String, owner: String)] = [("c_a1", "k1"), ("c_a2", "k1"), ("c_b1", "k2"), ("c_c1", "k3")]

    static func addCampaigns(_ engine: Engine, prefix: String = "") throws {
        try engine.store.write { w in
            for c in campaigns {
                let campaign = AdCampaign(
                    id: prefix + c.id, advertiser: c.owner, name: c.id, creative: .init(headline: "h", url: "https://a.example"),
                    contextTopics: ["jazz"], bidCPM: 1, dailyBudget: 100, owner: c.owner)
                try w.upsertAdCampaign(
                    AdCampaignRecord(
                        id: campaign.id, advertiser: campaign.advertiser, status: "active", createdAt: 0,
                        definition: String(decoding: try JSONEncoder().encode(campaign), as: UTF8.self)))
            }
        }
    }

    /// One contributor's ad events: a person (their subject row) with events in several campaigns, or an
    /// anonymous impression (no subject; its click and conversion carry its token).
    struct Contributor {
        var subject: SubjectRow?
        var events: [(campaign: Int, kind: AdEvent.Kind)]
    }

    static func token(_ r: inout SplitMix64) -> [UInt8] { (0..<16).map { _ in UInt8(truncatingIfNeeded: r.next()) } }

    /// A person seen by every campaign with probability 0.7, 0 to 14 impressions each (the cap is 10), up to 5 clicks, up to 2 conversions.
    static func person(_ subject: SubjectRow, _ r: inout SplitMix64) -> Contributor {
        var events: [(Int, AdEvent.Kind)] = []
        for c in campaigns.indices where r.next(below: 10) < 7 {
            let impressions = Int(r.next(below: 15)), clicks = min(impressions, Int(r.next(below: 6))), conversions = min(clicks, Int(r.next(below: 3)))
            events +=
                Array(repeating: (c, .impression), count: impressions) + Array(repeating: (c, .click), count: clicks)
                + Array(repeating: (c, .conversion), count: conversions)
        }
        return Contributor(subject: subject, events: events)
    }

    static func anonymous(_ r: inout SplitMix64) -> Contributor {
        let c = Int(r.next(below: UInt64(campaigns.count)))
        var events: [(Int, AdEvent.Kind)] = [(c, .impression)]
        if r.next(below: 4) == 0 { events.append((c, .click)); if r.next(below: 2) == 0 { events.append((c, .conversion)) } }
        return Contributor(subject: nil, events: events)
    }

    static func store(_ contributors: [Contributor], prefix: String, in engine: Engine, random r: inout SplitMix64) throws {
        try engine.store.write { w in
            for contributor in contributors {
                let token = Self.token(&r)
                for (i, e) in contributor.events.enumerated() {
                    // A person's events each carry their own impression's token; an anonymous impression's all carry one.
                    let t = contributor.subject == nil ? token : Self.token(&r)
                    try w.appendAdEvent(
                        AdEvent(
                            campaign: prefix + campaigns[e.campaign].id, subject: contributor.subject, kind: e.kind,
                            at: 1_700_000_000 + Int64(i), cost: 0, token: t))
                }
            }
        }
    }

    @Test(
        "one contributor, first or last, person or anonymous impression, moves each report by at most its caps, and all advertisers' reports together by at most what the ledger charged"
    )
    func sensitivity() throws {
        let engine = try makeEngine(tmp, mode: .optIn)
        let ads = AdsService(engine: engine)
        let caps: [Int64] = [Int64(ads.settings.impressionCap), Int64(ads.settings.clickCap), Int64(ads.settings.conversionCap)]
        // Every campaign's report once at ε = 1: what the ledger claims a person loses at most is the largest total charged to one of its datasets.
        try Self.addCampaigns(engine)
        for c in Self.campaigns { _ = try ads.report(campaign: c.id, epsilon: 1, actor: "test") }
        let charged = try PrivacyLedger(engine: engine).state().filter { $0.dataset.hasPrefix("ads") }.map(\.spentEpsilon).max() ?? 0
        let epsilon = 1.0
        var worst = [Int64](repeating: 0, count: 3), worstLoss = 0.0
        for trial in 0..<6 {
            var r = SplitMix64(seed: 500 + UInt64(trial))
            let people = (0..<24).map { Self.person(SubjectRow(10 + $0), &r) }
            let anonymous = (0..<30).map { _ in Self.anonymous(&r) }
            let newcomer = Self.person(SubjectRow(1), &r), latecomer = Self.person(SubjectRow(1_000), &r), stranger = Self.anonymous(&r)
            let base = people + anonymous
            let neighbours: [(String, [Contributor])] = [
                ("first person removed", Array(people.dropFirst()) + anonymous), ("last person removed", Array(people.dropLast()) + anonymous),
                ("person added first", [newcomer] + base), ("person added last", base + [latecomer]),
                ("first anonymous impression removed", people + anonymous.dropFirst()), ("last anonymous impression removed", people + anonymous.dropLast()),
                ("anonymous impression added", base + [stranger])
            ]
            let basePrefix = "t\(trial)-base-"
            try Self.addCampaigns(engine, prefix: basePrefix)
            try Self.store(base, prefix: basePrefix, in: engine, random: &r)
            let before = try Self.campaigns.map { try ads.preNoiseTotals(campaign: basePrefix + $0.id) }
            for (n, (name, neighbour)) in neighbours.enumerated() {
                let prefix = "t\(trial)-n\(n)-"
                try Self.addCampaigns(engine, prefix: prefix)
                try Self.store(neighbour, prefix: prefix, in: engine, random: &r)
                let after = try Self.campaigns.map { try ads.preNoiseTotals(campaign: prefix + $0.id) }
                var loss = 0.0
                for c in Self.campaigns.indices {
                    for m in 0..<3 {
                        let moved = abs(before[c][m] - after[c][m])
                        worst[m] = max(worst[m], moved)
                        #expect(moved <= caps[m], "trial \(trial), \(name), campaign \(c), metric \(m): moved \(moved) > cap \(caps[m])")
                        // The report's noise has scale cap × 3 / ε: this metric's share of the privacy loss.
                        loss += Double(moved) / (Double(caps[m]) * 3 / epsilon)
                    }
                }
                worstLoss = max(worstLoss, loss)
                #expect(loss <= charged + 1e-9, "trial \(trial), \(name): the reports together move by ε = \(loss), the ledger charged \(charged)")
            }
        }
        // The harness sees moves: someone over the cap moves a report by exactly the cap.
        #expect(worst[0] == caps[0], "the largest impression move \(worst[0]) should reach the cap")
        #expect(worstLoss > 1, "one person reaches several advertisers' reports: \(worstLoss)")
    }

    @Test("one person seen by three advertisers loses at most the ads budget, however many reports each advertiser asks for")
    func budgetAcrossAdvertisers() throws {
        let engine = try makeEngine(tmp, mode: .optIn)
        let ads = AdsService(engine: engine)
        try Self.addCampaigns(engine)
        // One person (subject 7) saw every campaign's ad, clicked and converted.
        var r = SplitMix64(seed: 9)
        try Self.store(
            [Contributor(subject: 7, events: Self.campaigns.indices.flatMap { [($0, AdEvent.Kind.impression), ($0, .click), ($0, .conversion)] })],
            prefix: "", in: engine, random: &r)
        let budget = PrivacyLedger(engine: engine).budget.epsilon
        var granted: [String: Double] = [:]
        for c in Self.campaigns {
            for _ in 0..<20 {
                do {
                    _ = try ads.report(campaign: c.id, epsilon: 2, actor: c.owner)
                    granted[c.owner, default: 0] += 2
                } catch is EngineError { break }
            }
        }
        // Every report granted counted this person: what they lost is the sum.
        let lost = granted.values.reduce(0, +)
        #expect(lost <= budget + 1e-9, "the person lost ε = \(lost) across advertisers \(granted) against a budget of \(budget)")
        #expect(lost == budget, "the advertisers together still get the whole budget")
        let releases = try engine.store.read { try $0.privacyReleases(dataset: nil) }.filter { $0.dataset.hasPrefix("ads") }
        #expect(Set(releases.map(\.dataset)).count == 1 && releases.reduce(0) { $0 + $1.epsilon } == lost, "one ledger dataset holds them all")
        #expect(granted.values.allSatisfy { $0 <= budget * ads.settings.advertiserShare }, "no advertiser spends past its share: \(granted)")
    }
}
