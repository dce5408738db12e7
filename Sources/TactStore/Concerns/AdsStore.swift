import Foundation
import TactCore

/// Advertising campaigns and their impression and click events.
/// Read inside any `Store.read` or `Store.write`; `StoreReader` composes every concern's reader.
public protocol AdReader {
    /// Every advertising campaign, oldest first.
    func adCampaigns() throws -> [AdCampaignRecord]
    /// Each campaign's all-time counts, with the spend of impressions at or after `since`.
    func adTotals(since: Int64) throws -> [String: AdTotals]
    /// The person's impressions per campaign at or after `since` (for frequency caps).
    func adImpressions(of subject: SubjectRow, since: Int64) throws -> [String: Int]
    /// For a report: each contributor's count of `kind` events of the campaign (a person, or for
    /// events that name no one, the impression they belong to).
    func adContributions(campaign: String, kind: AdEvent.Kind) throws -> [Int]
    /// The impression with this token, if any.
    func adImpression(token: [UInt8]) throws -> AdEvent?
    /// Every ad event that names the person, oldest first (for their export).
    func adEvents(of subject: SubjectRow) throws -> [AdEvent]
    /// Whether an event of `kind` with this token is stored.
    func adEventExists(token: [UInt8], kind: AdEvent.Kind) throws -> Bool
}

/// Changes to advertising campaigns and their impression and click events, inside a `Store.write`; `StoreWriter` composes every concern's writer.
public protocol AdWriter {
    func upsertAdCampaign(_ record: AdCampaignRecord) throws
    func appendAdEvent(_ event: AdEvent) throws
}
