import Foundation
import Hummingbird
import TactCore
import TactEngine
import TactRecommend
import TactStore

/// Privacy-preserving advertising over HTTP.
/// - Advertisers (the `ads` scope) manage campaigns and read aggregate reports with differential-privacy
///   noise; no route gives them a person, an impression or a click row.
/// - The app (the `recommend` scope, or the person's own token) asks for ads for a person and a page,
///   and reports clicks and conversions by the impression token it got.
struct AdsRoutes {
    let state: ServerState
    var ads: AdsService { state.ads }

    struct CampaignBody: Decodable {
        var advertiser: String
        var name: String
        var creative: AdCampaign.Creative
        var topics: [String]?
        var contextTopics: [String]?
        var bidCPM: Double
        var dailyBudget: Double
        var frequencyCap: Int?
    }

    struct CampaignList: Encodable { var campaigns: [AdCampaign] }
    struct StatusBody: Decodable { var status: String }
    struct TopicList: Encodable {
        var topics: [String]
        /// The smallest audience a campaign may target.
        var minimumAudience: Int
    }
    struct AudienceJSON: Encodable {
        var topics: [String]
        /// Whether at least `minimumAudience` people hold all the topics; the exact count is not released.
        var eligible: Bool
        var minimumAudience: Int
    }
    struct AdJSON: Encodable {
        var campaign: String
        var advertiser: String
        var creative: AdCampaign.Creative
        var reason: String
        /// Whether the person's interests chose it (false: the page alone).
        var personal: Bool
        /// Name it when reporting a click or a conversion.
        var impression: String
    }
    struct AdsJSON: Encodable {
        var ads: [AdJSON]
        /// "interests" when the person's consent let their interest topics be used, else "context".
        var basis: String
    }
    struct EventBody: Decodable { var impression: String }
    struct Recorded: Encodable { var recorded: String }
    struct ReportJSON: Encodable {
        struct Metric: Encodable {
            var name: String
            /// Nil when the noisy count fell below `minimumCount` (suppressed).
            var value: Int64?
            var suppressed: Bool
            var contributionCap: Int
            var noiseScale: Double
        }
        var campaign: String
        var epsilon: Double
        var mechanism: String
        var minimumCount: Int
        var metrics: [Metric]
    }

    func register(on router: Router<TactRequestContext>) {
        router.route(.get, "/v1/ads/topics", .key(.ads), state: state) { _, context in
            return try JSONResponse.make(TopicList(topics: try ads.taxonomy().topics, minimumAudience: ads.settings.minimumAudience))
        }
        router.route(.get, "/v1/ads/audiences", .key(.ads), state: state) { request, context in
            let topics = try request.queryList("topics", limit: 10)
            guard !topics.isEmpty else { throw Problem.badRequest("name the audience's topics: ?topics=a,b", field: "topics") }
            let size = try ads.audienceSize(topics)
            return try JSONResponse.make(
                AudienceJSON(topics: topics, eligible: size >= ads.settings.minimumAudience, minimumAudience: ads.settings.minimumAudience))
        }
        router.route(.get, "/v1/ads/campaigns", .key(.ads), state: state) { _, context in
            let principal = try context.caller
            return try JSONResponse.make(CampaignList(campaigns: try ads.campaigns().filter { owns(principal, $0) }))
        }
        router.route(.post, "/v1/ads/campaigns", .key(.ads), state: state) { request, context in
            let principal = try context.caller
            let body = try await request.decodeJSON(CampaignBody.self, limit: 64 * 1024)
            let campaign = AdCampaign(
                id: "", advertiser: body.advertiser, name: body.name, creative: body.creative, topics: body.topics ?? [],
                contextTopics: body.contextTopics ?? [], bidCPM: body.bidCPM, dailyBudget: body.dailyBudget,
                frequencyCap: body.frequencyCap ?? 3, owner: Self.owner(principal))
            return try JSONResponse.make(try ads.create(campaign, actor: principal.auditActor), status: .created)
        }
        router.route(.post, "/v1/ads/campaigns/{campaign}/status", .key(.ads), state: state) { request, context in
            let principal = try context.caller
            let body = try await request.decodeJSON(StatusBody.self, limit: 4 * 1024)
            guard let status = AdCampaign.Status(rawValue: body.status) else {
                throw Problem.badRequest("status is 'active', 'paused' or 'ended'", field: "status")
            }
            let id = try own(try context.pathValue("campaign"), principal)
            return try JSONResponse.make(try ads.setStatus(id, status, actor: principal.auditActor))
        }
        router.route(.get, "/v1/ads/campaigns/{campaign}/report", .key(.ads), state: state) { request, context in
            let principal = try context.caller
            let epsilon = try request.queryNumber("epsilon", default: 1, range: AdsSettings.reportEpsilonRange)
            let id = try own(try context.pathValue("campaign"), principal)
            let report = try ads.report(campaign: id, epsilon: epsilon, actor: principal.auditActor)
            return try JSONResponse.make(
                ReportJSON(
                    campaign: report.campaign, epsilon: report.epsilon, mechanism: "discrete Laplace, ε split over the metrics",
                    minimumCount: report.minimumCount,
                    metrics: report.metrics.map {
                        .init(name: $0.name, value: $0.value, suppressed: $0.value == nil, contributionCap: $0.cap, noiseScale: $0.scale)
                    }))
        }
        router.person(.get, "/v1/people/{person}/ads", .read(.advertising), .keyOrOwnToken(.recommend), state: state) { request, context in
            try await state.storeWork { try serve(request, context) }
        }
        router.route(.get, "/v1/ads/contextual", .key(.recommend), state: state) { request, context in
            let served = try ads.serve(
                to: nil, contextItem: request.uri.queryParameters.get("context").map { String($0) },
                k: try request.queryInt("k", default: 1, range: 1...10))
            return try JSONResponse.make(AdsJSON(ads: served.map(json), basis: "context"))
        }
        router.route(.post, "/v1/ads/clicks", .key(.recommend), state: state) { request, context in try await event(.click, request, context) }
        router.route(.post, "/v1/ads/conversions", .key(.recommend), state: state) { request, context in try await event(.conversion, request, context) }
    }

    /// The owner a new campaign records: the creating key's id.
    static func owner(_ principal: Principal) -> String {
        if case .key(let record, _) = principal { return record.id }
        return ""
    }

    /// Whether the caller manages `campaign`: its own key, or an admin key.
    func owns(_ principal: Principal, _ campaign: AdCampaign) -> Bool {
        guard case .key(let record, let scopes) = principal else { return false }
        return scopes.contains(.admin) || campaign.owner == record.id
    }

    /// The id of a campaign the caller manages; 404 for any other (another advertiser's campaigns are not revealed).
    func own(_ id: String, _ principal: Principal) throws -> String {
        guard let campaign = try ads.campaigns().first(where: { $0.id == id }), owns(principal, campaign) else {
            throw Problem.notFound("you manage no campaign with the id '\(id.prefix(40))'", field: "campaign")
        }
        return id
    }

    func serve(_ request: Request, _ context: TactRequestContext) throws -> Response {
        let pseudonym = try context.person(state.engine.pseudonymizer).pseudonym
        try state.honourGlobalPrivacyControl(request, for: pseudonym, actor: context.principal?.auditActor ?? "anonymous")
        let served = try ads.serve(
            to: pseudonym, contextItem: request.uri.queryParameters.get("context").map { String($0) },
            k: try request.queryInt("k", default: 1, range: 1...10))
        return try JSONResponse.make(AdsJSON(ads: served.map(json), basis: served.contains(where: { $0.personal }) ? "interests" : "context"))
    }

    func event(_ kind: AdEvent.Kind, _ request: Request, _ context: TactRequestContext) async throws -> Response {
        let body = try await request.decodeJSON(EventBody.self, limit: 4 * 1024)
        guard try ads.record(kind, impression: body.impression) else {
            throw Problem.notFound("no impression has this token; send the 'impression' an ad came with", field: "impression")
        }
        return try JSONResponse.make(Recorded(recorded: kind.rawValue), status: .accepted)
    }

    func json(_ ad: ServedAd) -> AdJSON {
        AdJSON(
            campaign: ad.campaign.id, advertiser: ad.campaign.advertiser, creative: ad.campaign.creative, reason: ad.reason,
            personal: ad.personal, impression: ad.impression)
    }
}
