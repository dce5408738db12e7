import Crypto
import Foundation
import PostgresNIO
import TactCore

/// PostgresSession's part of `AdReader` and `AdWriter`: advertising campaigns and their impression and click events.
extension PostgresSession {
    func adCampaigns() throws -> [AdCampaignRecord] {
        try rows("SELECT id, advertiser, status, created_at, definition FROM ad_campaigns ORDER BY created_at, id").map {
            AdCampaignRecord(id: try $0.text(0), advertiser: try $0.text(1), status: try $0.text(2), createdAt: try $0.int(3), definition: try $0.text(4))
        }
    }

    func adTotals(since: Int64) throws -> [String: AdTotals] {
        var out: [String: AdTotals] = [:]
        for row in try rows(
            """
            SELECT campaign, COUNT(*) FILTER (WHERE kind = 'impression'), COUNT(*) FILTER (WHERE kind = 'click'),
                   COUNT(*) FILTER (WHERE kind = 'conversion'),
                   COALESCE(SUM(cost) FILTER (WHERE kind = 'impression' AND at >= $1), 0)::DOUBLE PRECISION
            FROM ad_events GROUP BY campaign
            """, [.int(since)])
        {
            var t = AdTotals()
            t.impressions = Int(try row.int(1)); t.clicks = Int(try row.int(2)); t.conversions = Int(try row.int(3)); t.spentSince = try row.double(4)
            out[try row.text(0)] = t
        }
        return out
    }

    func adImpressions(of subject: SubjectRow, since: Int64) throws -> [String: Int] {
        var out: [String: Int] = [:]
        for row in try rows(
            "SELECT campaign, COUNT(*) FROM ad_events WHERE subject_id = $1 AND at >= $2 AND kind = 'impression' GROUP BY campaign",
            [.int(subject), .int(since)])
        {
            out[try row.text(0)] = Int(try row.int(1))
        }
        return out
    }

    func adContributions(campaign: String, kind: AdEvent.Kind) throws -> [Int] {
        try rows(
            """
            SELECT COUNT(*) FROM ad_events WHERE campaign = $1 AND kind = $2
            GROUP BY COALESCE(subject_id::TEXT, encode(token, 'hex'))
            """, [.text(campaign), .text(kind.rawValue)]
        ).map { Int(try $0.int(0)) }
    }

    func adEvents(of subject: SubjectRow) throws -> [AdEvent] {
        try rows("SELECT \(Self.adEventColumns) FROM ad_events WHERE subject_id = $1 ORDER BY at, id", [.int(subject)]).map(Self.adEvent)
    }

    static let adEventColumns = "id, campaign, subject_id, kind, at, cost, token"

    static func adEvent(_ row: PostgresRandomAccessRow) throws -> AdEvent {
        AdEvent(
            id: try row.int(0), campaign: try row.text(1), subject: try row[2].decode(Int64?.self),
            kind: AdEvent.Kind(rawValue: try row.text(3)) ?? .impression,
            at: try row.int(4), cost: try row.double(5), token: try row.bytes(6))
    }

    func adEventExists(token: [UInt8], kind: AdEvent.Kind) throws -> Bool {
        try !rows("SELECT 1 FROM ad_events WHERE token = $1 AND kind = $2 LIMIT 1", [.bytes(token), .text(kind.rawValue)]).isEmpty
    }

    func adImpression(token: [UInt8]) throws -> AdEvent? {
        try rows("SELECT \(Self.adEventColumns) FROM ad_events WHERE token = $1 AND kind = 'impression'", [.bytes(token)]).first.map(Self.adEvent)
    }

    func upsertAdCampaign(_ r: AdCampaignRecord) throws {
        try execute(
            """
            INSERT INTO ad_campaigns (id, advertiser, status, created_at, definition) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (id) DO UPDATE SET advertiser = excluded.advertiser, status = excluded.status, definition = excluded.definition
            """, [.text(r.id), .text(r.advertiser), .text(r.status), .int(r.createdAt), .text(r.definition)])
    }

    func appendAdEvent(_ e: AdEvent) throws {
        try execute(
            "INSERT INTO ad_events (campaign, subject_id, kind, at, cost, token) VALUES ($1, $2, $3, $4, $5, $6)",
            [.text(e.campaign), .int(e.subject), .text(e.kind.rawValue), .int(e.at), .double(e.cost), .bytes(e.token)])
    }
}
