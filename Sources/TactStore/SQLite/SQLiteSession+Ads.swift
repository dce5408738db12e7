import Crypto
import Foundation
import GRDB
import GRDBSQLite
import TactCore

/// SQLiteSession's part of `AdReader` and `AdWriter`: advertising campaigns and their impression and click events.
extension SQLiteSession {
    func adCampaigns() throws -> [AdCampaignRecord] {
        try Row.fetchAll(db, sql: "SELECT id, advertiser, status, created_at, definition FROM ad_campaigns ORDER BY created_at, id").map {
            AdCampaignRecord(id: $0[0], advertiser: $0[1], status: $0[2], createdAt: $0[3], definition: $0[4])
        }
    }

    func adTotals(since: Int64) throws -> [String: AdTotals] {
        var out: [String: AdTotals] = [:]
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT campaign, SUM(kind = 'impression'), SUM(kind = 'click'), SUM(kind = 'conversion'),
                       SUM(CASE WHEN kind = 'impression' AND at >= ? THEN cost ELSE 0 END)
                FROM ad_events GROUP BY campaign
                """, arguments: [since])
        {
            var t = AdTotals()
            t.impressions = row[1]; t.clicks = row[2]; t.conversions = row[3]; t.spentSince = row[4]
            out[row[0]] = t
        }
        return out
    }

    func adImpressions(of subject: SubjectRow, since: Int64) throws -> [String: Int] {
        var out: [String: Int] = [:]
        for row in try Row.fetchAll(
            db, sql: "SELECT campaign, COUNT(*) FROM ad_events WHERE subject_id = ? AND at >= ? AND kind = 'impression' GROUP BY campaign",
            arguments: [subject, since])
        {
            out[row[0]] = row[1]
        }
        return out
    }

    func adContributions(campaign: String, kind: AdEvent.Kind) throws -> [Int] {
        try Int.fetchAll(
            db,
            sql: """
                SELECT COUNT(*) FROM ad_events WHERE campaign = ? AND kind = ?
                GROUP BY COALESCE(CAST(subject_id AS TEXT), hex(token))
                """, arguments: [campaign, kind.rawValue])
    }

    func adEvents(of subject: SubjectRow) throws -> [AdEvent] {
        try Row.fetchAll(db, sql: "SELECT \(Self.adEventColumns) FROM ad_events WHERE subject_id = ? ORDER BY at, id", arguments: [subject])
            .map(Self.adEvent)
    }

    static let adEventColumns = "id, campaign, subject_id, kind, at, cost, token"

    static func adEvent(_ row: Row) -> AdEvent {
        AdEvent(
            id: row[0], campaign: row[1], subject: row[2], kind: AdEvent.Kind(rawValue: row[3]) ?? .impression, at: row[4], cost: row[5],
            token: [UInt8](row[6] as Data))
    }

    func adEventExists(token: [UInt8], kind: AdEvent.Kind) throws -> Bool {
        try Int.fetchOne(db, sql: "SELECT 1 FROM ad_events WHERE token = ? AND kind = ? LIMIT 1", arguments: [Data(token), kind.rawValue]) != nil
    }

    func adImpression(token: [UInt8]) throws -> AdEvent? {
        try Row.fetchOne(db, sql: "SELECT \(Self.adEventColumns) FROM ad_events WHERE token = ? AND kind = 'impression'", arguments: [Data(token)])
            .map(Self.adEvent)
    }

    func upsertAdCampaign(_ r: AdCampaignRecord) throws {
        try db.execute(
            sql: """
                INSERT INTO ad_campaigns (id, advertiser, status, created_at, definition) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET advertiser = excluded.advertiser, status = excluded.status, definition = excluded.definition
                """, arguments: [r.id, r.advertiser, r.status, r.createdAt, r.definition])
    }

    func appendAdEvent(_ e: AdEvent) throws {
        try db.execute(
            sql: "INSERT INTO ad_events (campaign, subject_id, kind, at, cost, token) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [e.campaign, e.subject, e.kind.rawValue, e.at, e.cost, Data(e.token)])
    }
}
