import Foundation
import TactCore

/// Everything Tact holds about one person, as one portable document (GDPR Art. 15 and 20).
public struct SubjectExport: Sendable, Encodable {
    public struct Person: Sendable, Encodable {
        /// The id the request named (the person's own); absent when the person asked through the
        /// privacy center, which knows them only by their pseudonym.
        public var id: String?
        /// Whether anything is stored for them.
        public var known: Bool
        /// When processing was restricted, if it is.
        public var restrictedAt: Int64?
    }

    public struct PurposeState: Sendable, Encodable {
        public var purpose: String
        public var permitted: Bool
        public var decision: String?
        public var source: String?
        public var recordedAt: Int64?
    }

    public struct ConsentEntry: Sendable, Encodable {
        public var purpose: String
        public var decision: String
        public var source: String
        public var recordedAt: Int64
        public var policyVersion: String
        public var note: String?
    }

    public struct Consent: Sendable, Encodable {
        public var mode: String
        public var current: [PurposeState]
        /// Every record of the ledger, oldest first.
        public var history: [ConsentEntry]
    }

    public struct Interaction: Sendable, Encodable {
        /// What rectification names.
        public var id: Int64
        public var item: String
        public var title: String
        public var kind: String
        public var value: Double
        /// Seconds since 1970.
        public var timestamp: Int64
        /// The free text that came with the event, opened with the person's key.
        public var context: String?
        /// The purpose the event was collected under (the one the person's consent was checked against).
        public var purpose: String
    }

    public struct Share: Sendable, Encodable {
        public var name: String
        /// 0...1.
        public var share: Double
    }

    public struct Profile: Sendable, Encodable {
        /// The profile in plain words.
        public var summary: String
        /// Tags of the items they interacted with, weighted by how strongly.
        public var topTags: [Share]
        /// The history items that drive their recommendations most, as shares of all reasons.
        public var drivers: [Share]
        public var personalized: Bool
    }

    public struct Reason: Sendable, Encodable {
        public var item: String
        public var title: String
        public var share: Double
    }

    public struct Recommendation: Sendable, Encodable {
        public var item: String
        public var title: String
        public var score: Double
        public var reasons: [Reason]
    }

    public struct AuditRecord: Sendable, Encodable {
        public var at: Int64
        public var actor: String
        public var action: String
        public var purpose: String?
        public var detail: String
    }

    public struct Request: Sendable, Encodable {
        public var id: Int64
        public var kind: String
        public var status: String
        public var receivedAt: Int64
        public var verifiedAt: Int64?
        public var completedAt: Int64?
        public var dueAt: Int64
    }

    /// One ad shown to the person while their consent let it use their interests, or a click or
    /// conversion on it (ads shown to people without that consent name no one and are not here).
    public struct AdActivity: Sendable, Encodable {
        public var campaign: String
        /// impression, click or conversion.
        public var kind: String
        public var at: Int64
    }

    public var format = "tact-subject-export/1"
    public var generatedAt: Int64
    public var controller: String
    public var contact: String
    public var policyVersion: String
    public var person: Person
    public var consent: Consent
    public var interactions: [Interaction]
    public var profile: Profile
    /// What the person is recommended now, with the reasons they are shown.
    public var recommendations: [Recommendation]
    /// Who read or changed their data, oldest first.
    public var audit: [AuditRecord]
    /// Their data-subject requests, this one included.
    public var requests: [Request]
    /// The ads they were shown on their interests, and their clicks and conversions, oldest first.
    public var advertising: [AdActivity] = []

    /// The document as pretty-printed JSON with sorted keys.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// The interactions as CSV (RFC 4180): id,item,title,kind,value,timestamp,context,purpose.
    public func interactionsCSV() -> String {
        var out = "id,item,title,kind,value,timestamp,context,purpose\r\n"
        for e in interactions {
            let fields = [String(e.id), e.item, e.title, e.kind, String(e.value), String(e.timestamp), e.context ?? "", e.purpose]
            out += fields.map(Self.csvField).joined(separator: ",") + "\r\n"
        }
        return out
    }

    static func csvField(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
