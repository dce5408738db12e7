import Crypto
import Foundation
import PostgresNIO
import TactCore

/// PostgresSession's part of `ConsentReader` and `ConsentWriter`: the consent ledger: each person's decisions per purpose, and counts of refused events.
extension PostgresSession {
    func consentState(of subject: SubjectRow) throws -> ConsentState {
        var state = ConsentState()
        for row in try rows("SELECT purpose, decision, source, recorded_at FROM consent_ledger WHERE subject_id = $1 ORDER BY id", [.int(subject)]) {
            guard let purpose = Purpose(rawValue: try row.text(0)), let decision = ConsentDecision(rawValue: try row.text(1)),
                let source = ConsentSource(rawValue: try row.text(2))
            else {
                throw StoreError.corrupt(what: "a consent record of subject \(subject)")
            }
            state[purpose] = ConsentState.Entry(decision: decision, source: source, recordedAt: try row.int(3))
        }
        return state
    }

    func consentHistory(of subject: SubjectRow) throws -> [ConsentRecord] {
        guard let p = try pseudonym(of: subject) else { return [] }
        return try rows(
            """
            SELECT purpose, decision, source, recorded_at, policy_version, note FROM consent_ledger WHERE subject_id = $1 ORDER BY id
            """, [.int(subject)]
        ).map { row in
            try ConsentRecord.stored(
                subject: p, purpose: try row.text(0), decision: try row.text(1), source: try row.text(2),
                recordedAt: try row.int(3), policyVersion: try row.text(4), note: try row.optionalText(5))
        }
    }

    func latestDecisions(for purpose: Purpose) throws -> [SubjectRow: ConsentDecision] {
        var result: [SubjectRow: ConsentDecision] = [:]
        for row in try rows(
            """
            SELECT DISTINCT ON (subject_id) subject_id, decision FROM consent_ledger WHERE purpose = $1 ORDER BY subject_id, id DESC
            """, [.text(purpose.rawValue)])
        {
            let name = try row.text(1)
            guard let d = ConsentDecision(rawValue: name) else { throw StoreError.corrupt(what: "consent decision \(name)") }
            result[try row.int(0)] = d
        }
        return result
    }

    func appendConsent(_ record: ConsentRecord, subject: SubjectRow) throws {
        try queue(
            "consent_ledger", columns: "subject_id, purpose, decision, source, recorded_at, policy_version, note",
            [
                .int(subject), .text(record.purpose.rawValue), .text(record.decision.rawValue), .text(record.source.rawValue),
                .int(record.recordedAt), .text(record.policyVersion), .text(record.note)
            ])
    }

    func addRefusals(_ counts: [Purpose: Int]) throws {
        for (purpose, n) in counts where n > 0 {
            try execute(
                """
                INSERT INTO refusals (purpose, count) VALUES ($1, $2) ON CONFLICT (purpose) DO UPDATE SET count = refusals.count + excluded.count
                """, [.text(purpose.rawValue), .int(Int64(n))])
        }
    }
}
