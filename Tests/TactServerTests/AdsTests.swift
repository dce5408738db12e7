import Foundation
import HTTPTypes
import HummingbirdTesting
import TactCore
import TactEngine
import TactPrivacy
import TactRecommend
import TactStore
import Testing

@testable import TactServer

/// Privacy-preserving advertising through the API: every rule of the feature.
@Suite struct AdsTests {
    /// The fixture with this week's plays (topics come from recent epochs only) and k = 10.
    static func fixture(minimumAudience: Int = 10) throws -> ServerFixture {
        let fixture = try ServerFixture { settings in
            settings.ads.minimumAudience = minimumAudience
            settings.ads.reportMinimumCount = 5
            settings.keyCacheSeconds = 0
        }
        let now = Int64(Date().timeIntervalSince1970)
        var events: [IncomingInteraction] = []
        for p in 0..<40 {
            let genre = p % 2 == 0 ? "r" : "j"
            for i in 0..<4 { events.append(IncomingInteraction(user: "p\(p)", item: "\(genre)\(i)", kind: .play, timestamp: now - 3_600)) }
        }
        _ = try Ingestor(engine: fixture.engine).ingest(events, options: IngestOptions())
        try fixture.api.state.ads.refresh()
        return fixture
    }

    static let rockCampaign =
        #"{"advertiser":"Guitars Inc","name":"Rock fans","creative":{"headline":"New guitars","url":"https://guitars.example"},"topics":["rock"],"bidCPM":4,"dailyBudget":1000,"frequencyCap":2}"#
    static let jazzPage =
        #"{"advertiser":"Jazz Club","name":"Jazz pages","creative":{"headline":"Live jazz tonight","url":"https://club.example"},"contextTopics":["jazz"],"bidCPM":1,"dailyBudget":1000}"#

    @Test("campaigns: topics from the taxonomy, an audience of at least k at creation (422 below), context targeting, statuses")
    func campaigns() async throws {
        let fixture = try Self.fixture()
        let ads = fixture.keys[.ads]!
        try await fixture.test { client in
            let topics = try await client.call(.get, "/v1/ads/topics", auth: ads)
            #expect((topics.json["topics"] as? [String])?.contains("rock") == true && !(topics.json["topics"] as? [String] ?? []).contains("sponsored"))
            let created = try await client.call(.post, "/v1/ads/campaigns", auth: ads, json: Self.rockCampaign)
            #expect(created.status == 201 && created.json["status"] as? String == "active")
            let narrow = try await client.call(
                .post, "/v1/ads/campaigns", auth: ads,
                json:
                    #"{"advertiser":"A","name":"Both","creative":{"headline":"x","url":"https://a.example"},"topics":["rock","jazz"],"bidCPM":1,"dailyBudget":10}"#
            )
            #expect(narrow.status == 422 && narrow.body.contains("k-anonymity"), "nobody holds both topics this week")
            let unknown = try await client.call(
                .post, "/v1/ads/campaigns", auth: ads,
                json: #"{"advertiser":"A","name":"X","creative":{"headline":"x","url":"https://a.example"},"topics":["opera"],"bidCPM":1,"dailyBudget":10}"#)
            #expect(unknown.status == 400)
            let badURL = try await client.call(
                .post, "/v1/ads/campaigns", auth: ads,
                json:
                    #"{"advertiser":"A","name":"X","creative":{"headline":"x","url":"javascript:alert(1)"},"contextTopics":["jazz"],"bidCPM":1,"dailyBudget":10}"#
            )
            #expect(badURL.status == 400)
            #expect(try await client.call(.post, "/v1/ads/campaigns", auth: ads, json: Self.jazzPage).status == 201)
            let audience = try await client.call(.get, "/v1/ads/audiences?topics=rock", auth: ads)
            #expect(audience.json["eligible"] as? Bool == true && audience.json["size"] == nil, "only eligible or not: no count")
            let list = try await client.call(.get, "/v1/ads/campaigns", auth: ads)
            let id = try #require(((list.json["campaigns"] as? [[String: Any]])?.first)?["id"] as? String)
            let paused = try await client.call(.post, "/v1/ads/campaigns/\(id)/status", auth: ads, json: #"{"status":"paused"}"#)
            #expect(paused.json["status"] as? String == "paused")
            #expect(try await client.call(.post, "/v1/ads/campaigns", auth: fixture.keys[.recommend]!, json: Self.jazzPage).status == 403)
            // Another advertiser's key sees none of these campaigns, and cannot change them or read their reports.
            let rival = try APIKeyService(engine: fixture.engine).create(name: "rival", scopes: [.ads]).key
            #expect((try await client.call(.get, "/v1/ads/campaigns", auth: rival).json["campaigns"] as? [Any])?.isEmpty == true)
            #expect(try await client.call(.get, "/v1/ads/campaigns/\(id)/report", auth: rival).status == 404)
            #expect(try await client.call(.post, "/v1/ads/campaigns/\(id)/status", auth: rival, json: #"{"status":"ended"}"#).status == 404)
            #expect((try await client.call(.get, "/v1/ads/campaigns", auth: fixture.admin).json["campaigns"] as? [Any])?.count == 2, "an admin sees all")
        }
    }

    @Test("serving: interests only with advertising consent and no sale-or-sharing opt-out, context otherwise; frequency caps; k at serving time")
    func serving() async throws {
        let fixture = try Self.fixture()
        let ads = fixture.keys[.ads]!, app = fixture.keys[.recommend]!
        try await fixture.test { client in
            _ = try await client.call(.post, "/v1/ads/campaigns", auth: ads, json: Self.rockCampaign)
            _ = try await client.call(.post, "/v1/ads/campaigns", auth: ads, json: Self.jazzPage)
            func ad(_ person: String, context: String = "j1", gpc: Bool = false) async throws -> [String: Any] {
                var headers = HTTPFields()
                if gpc { headers[.secGPC] = "1" }
                return try await client.call(.get, "/v1/people/\(person)/ads?context=\(context)", auth: app, headers: headers).json
            }
            // p0 (rock, advertising granted): the interest ad, with its reason.
            let first = try await ad("p0")
            let served = try #require((first["ads"] as? [[String: Any]])?.first)
            #expect(served["reason"] as? String == "shown because you are interested in rock" && first["basis"] as? String == "interests")
            // n0 gave no consent: only the page counts.
            let stranger = try await ad("n0")
            #expect(
                (stranger["ads"] as? [[String: Any]])?.first?["reason"] as? String == "shown because of this page" && stranger["basis"] as? String == "context")
            // Frequency cap 2 a day: the third request for p0 falls back to the page's ad.
            _ = try await ad("p0")
            #expect((try await ad("p0")["ads"] as? [[String: Any]])?.first?["campaign"] as? String != served["campaign"] as? String)
            // p2 sends Sec-GPC: sale or sharing refused, so no more interest ads for p2.
            let gpc = try await ad("p2", gpc: true)
            #expect(gpc["basis"] as? String == "context")
            let p2 = fixture.engine.pseudonymizer.pseudonym(for: "p2")
            #expect(try fixture.api.state.ads.topics(of: p2) == nil, "never computed for p2 now")
        }
        // k at serving time: when most rock listeners withdraw advertising consent, the audience falls below k.
        for p in stride(from: 4, to: 40, by: 2) {
            try ConsentService(engine: fixture.engine).record(user: "p\(p)", purposes: [.advertising], decision: .deny)
        }
        try fixture.api.state.ads.refresh()
        #expect(try fixture.api.state.ads.audienceSize(["rock"]) < 10)
        let p0 = fixture.engine.pseudonymizer.pseudonym(for: "p0")
        let again = try fixture.api.state.ads.serve(to: p0, contextItem: "r1", k: 3)
        #expect(!again.contains { $0.personal }, "the campaign no longer reaches k people: not served on interests")
    }

    @Test("reports: noisy aggregates only, charged to the ledger, small counts suppressed; clicks by token; no advertiser route shows a person")
    func reports() async throws {
        let fixture = try Self.fixture()
        let ads = fixture.keys[.ads]!, app = fixture.keys[.recommend]!
        try await fixture.test { client in
            let created = try await client.call(.post, "/v1/ads/campaigns", auth: ads, json: Self.jazzPage)
            let id = try #require(created.json["id"] as? String)
            var tokens: [String] = []
            for _ in 0..<60 {
                let answer = try await client.call(.get, "/v1/ads/contextual?context=j2", auth: app)
                if let token = (answer.json["ads"] as? [[String: Any]])?.first?["impression"] as? String { tokens.append(token) }
            }
            #expect(tokens.count == 60)
            for token in tokens.prefix(2) {
                #expect(try await client.call(.post, "/v1/ads/clicks", auth: app, json: "{\"impression\":\"\(token)\"}").status == 202)
            }
            #expect(try await client.call(.post, "/v1/ads/clicks", auth: app, json: #"{"impression":"AAAAAAAAAAAAAAAAAAAAAA"}"#).status == 404)
            let report = try await client.call(.get, "/v1/ads/campaigns/\(id)/report?epsilon=1", auth: ads)
            #expect(report.status == 200)
            let metrics = report.json["metrics"] as? [[String: Any]] ?? []
            #expect(metrics.map { $0["name"] as? String ?? "" } == ["impressions", "clicks", "conversions"])
            #expect(metrics.allSatisfy { ($0["noiseScale"] as? Double ?? 0) > 0 })
            #expect(
                metrics.last?["suppressed"] as? Bool == true || ((metrics.last?["value"] as? Int) ?? 0) >= 5, "0 conversions: suppressed unless noise lifted it"
            )
            let releases = try fixture.engine.store.read { try $0.privacyReleases(dataset: nil) }.filter { $0.dataset.hasPrefix("ads") }
            #expect(
                releases.count == 1 && releases[0].epsilon == 1 && releases[0].dataset == "ads" && !releases[0].release.hasSuffix("advertiser unowned"),
                "charged to the one ads dataset all advertisers share, in the name of this advertiser's key")
            #expect(try await client.call(.get, "/v1/ads/campaigns/\(id)/report?epsilon=10", auth: ads).status == 400, "one report spends at most ε 2")
            // One click per impression: a repeat is accepted and ignored.
            #expect(try await client.call(.post, "/v1/ads/clicks", auth: app, json: "{\"impression\":\"\(tokens[0])\"}").status == 202)
            #expect(try fixture.engine.store.read { try $0.adContributions(campaign: id, kind: .click) }.reduce(0, +) == 2)
            // No advertiser route carries a person: no pseudonym, no user id, no impression token.
            let pseudonyms = (0..<40).map { fixture.engine.pseudonymizer.pseudonym(for: "p\($0)").hex }
            for path in ["/v1/ads/topics", "/v1/ads/campaigns", "/v1/ads/audiences?topics=rock", "/v1/ads/campaigns/\(id)/report?epsilon=0.5"] {
                let body = try await client.call(.get, path, auth: ads).body
                #expect(!pseudonyms.contains { body.contains($0) } && !body.contains("\"p0\"") && !tokens.contains { body.contains($0) }, "\(path)")
            }
            #expect(try await client.call(.get, "/v1/people/p0/ads", auth: ads).status == 403, "an advertiser key reaches no person")
            #expect(try await client.call(.get, "/v1/audit", auth: ads).status == 403)
        }
    }

    @Test("the privacy center shows a person the advertising topics inferred about them, and only when their consent allows them")
    func topicsInThePrivacyCenter() async throws {
        let fixture = try Self.fixture()
        try await fixture.test { client in
            for (person, shown) in [("p0", true), ("n0", false)] {
                let token = try #require(try await client.call(.post, "/v1/people/\(person)/tokens", auth: fixture.keys[.subjects]!).json["token"] as? String)
                let browser = WebPagesTests.Browser()
                _ = try await browser.get(client, "/privacy/signin?token=\(token)")
                let page = try await browser.get(client, "/privacy")
                #expect(page.body.contains("data-testid=\"ad-topics\"") == shown, "\(person)")
            }
        }
    }

    @Test("stale audiences are served while one recount runs in the background; campaigns created meanwhile survive it")
    func backgroundRecount() async throws {
        let fixture = try Self.fixture()
        var settings = AdsSettings()
        settings.minimumAudience = 10
        settings.audienceRefreshSeconds = 0
        let service = AdsService(engine: fixture.engine, settings: settings)
        try service.refresh()
        let campaign = try service.create(
            AdCampaign(
                id: "", advertiser: "A", name: "page", creative: .init(headline: "h", url: "https://a.example"),
                contextTopics: ["jazz"], bidCPM: 1, dailyBudget: 100), actor: "test")
        for _ in 0..<20 {
            #expect(try service.serve(to: nil, contextItem: "j1").first?.campaign.id == campaign.id)
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    @Test("erasure removes a person's ad events; budgets stop spending when the day's share is gone")
    func erasureAndBudget() throws {
        let fixture = try Self.fixture()
        let service = fixture.api.state.ads
        let campaign = try service.create(
            AdCampaign(
                id: "", advertiser: "A", name: "tiny", creative: .init(headline: "h", url: "https://a.example"),
                topics: ["rock"], bidCPM: 1000, dailyBudget: 2, frequencyCap: 100), actor: "test")
        let p0 = fixture.engine.pseudonymizer.pseudonym(for: "p0")
        // Budget 2 a day at 1 per impression: at most 2 impressions however the day is paced (pacing allows less).
        var shown = 0
        for _ in 0..<10 {
            shown += try service.serve(to: p0, contextItem: nil, k: 1, now: Int64(Date().timeIntervalSince1970) / 86_400 * 86_400 + 86_000).count
        }
        #expect(shown == 2)
        #expect(try fixture.engine.store.read { try $0.adContributions(campaign: campaign.id, kind: .impression) } == [2])
        // The person's export lists the ads shown to them on their interests.
        let export = try SubjectExporter(engine: fixture.engine).export(user: "p0", actor: "test")
        #expect(export.advertising.filter { $0.kind == "impression" && $0.campaign == campaign.id }.count == 2)
        _ = try SubjectRights(engine: fixture.engine).erase(user: "p0", actor: "test")
        #expect(try fixture.engine.store.read { try $0.adContributions(campaign: campaign.id, kind: .impression) }.isEmpty)
    }
}
