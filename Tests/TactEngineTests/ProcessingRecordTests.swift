import Foundation
import TactCore
import Testing

@testable import TactEngine

@Suite struct ProcessingRecordTests {
    /// A policy unlike the built-in one, so that a record that ignored the policy would fail.
    static let custom = PrivacyPolicy(
        version: "acme-7",
        controller: "Acme Streaming GmbH",
        contact: "dpo@acme.example",
        purposes: [
            .init(purpose: .essential, description: "Running the Acme service.", legalBasis: "contract"),
            .init(purpose: .personalization, description: "Acme picks songs for you.", legalBasis: "consent"),
            .init(purpose: .analytics, description: "Acme counts plays per song.", legalBasis: "legitimate-interests"),
            .init(purpose: .advertising, description: "Acme shows you concert ads.", legalBasis: "consent"),
            .init(purpose: .saleOrSharing, description: "Acme never sells data.", legalBasis: "consent"),
            .init(purpose: .modelTraining, description: "Acme trains its taste model.", legalBasis: "legal-obligation")
        ],
        dataCategories: [
            .init(name: "interactions", description: "Songs you played.", retentionDays: 400),
            .init(name: "context", description: "Your search words.", retentionDays: 14),
            .init(name: "location", description: "Your city.", retentionDays: 3),
            .init(name: "audit", description: "Who looked at your data.", retentionDays: 1000),
            .init(name: "consent", description: "Your choices.", retentionDays: nil)
        ],
        recipients: [
            .init(name: "Acme Hosting", purposes: [.essential], description: "Runs the servers."),
            .init(
                name: "Concert Ads Inc", purposes: [.advertising], description: "Places concert ads.",
                transfer: "United States, standard contractual clauses")
        ])

    @Test func containsEveryPurposeBasisCategoryAndRetention() throws {
        try Self.custom.validate()
        let record = ProcessingRecord(policy: Self.custom, mode: .optIn)
        let md = record.markdown()
        #expect(md.contains("Acme Streaming GmbH") && md.contains("dpo@acme.example") && md.contains("acme-7"))
        for p in Self.custom.purposes {
            #expect(md.contains("| \(p.purpose.rawValue) | \(p.description) | \(p.legalBasis) |"), "purpose \(p.purpose)")
        }
        for c in Self.custom.dataCategories {
            #expect(md.contains("| \(c.name) | \(c.description) | \(PolicyDiff.retention(c.retentionDays)) |"), "category \(c.name)")
        }
        #expect(md.contains("| 400 days | the retention job deletes events older than 400 days |"))
        #expect(md.contains("| 14 days | the retention job empties the free text of events older than 14 days; the events stay |"))
        #expect(md.contains("| 1000 days | not applied: the audit log is append-only |"))
        #expect(md.contains("not applied: Tact stores no data under the category name 'location'"))
        #expect(md.contains("| Concert Ads Inc | advertising | Places concert ads. |"))
        #expect(md.contains("- Concert Ads Inc: United States, standard contractual clauses"))
        for m in ProtectionMeasure.implemented(mode: .optIn) { #expect(md.contains("**\(m.name).**")) }
        #expect(md.contains("HMAC-SHA256"))

        // The JSON says the same.
        let decoded = try JSONDecoder().decode(ProcessingRecord.self, from: record.jsonData())
        #expect(decoded == record)
        #expect(decoded.purposes.map(\.legalBasis) == Self.custom.purposes.map(\.legalBasis))
        #expect(decoded.purposes.map(\.purpose) == Self.custom.purposes.map(\.purpose.rawValue))
        #expect(decoded.dataCategories.map(\.retentionDays) == Self.custom.dataCategories.map(\.retentionDays))
        #expect(decoded.dataCategories.map(\.name) == Self.custom.dataCategories.map(\.name))
        #expect(decoded.transfers == [.init(recipient: "Concert Ads Inc", destination: "United States, standard contractual clauses")])
        #expect(decoded.controller == .init(name: "Acme Streaming GmbH", contact: "dpo@acme.example"))
    }

    @Test func noTransfersUnlessARecipientNamesOne() {
        let record = ProcessingRecord(policy: .builtIn, mode: .optOut)
        #expect(record.transfers.isEmpty)
        #expect(record.markdown().contains("None: no recipient of the policy names a transfer."))
        #expect(record.measures.contains { $0.name == "Consent gating" && $0.description.contains("opt-out") })
    }

    @Test func tableCellsCannotBreakTheTable() {
        var policy = Self.custom
        policy.purposes[0].description = "A | B\nC"
        #expect(ProcessingRecord(policy: policy, mode: .optIn).markdown().contains("| A \\| B C |"))
    }
}
