import Foundation
import TactCore

/// The consent ledger: each person's decisions per purpose, and counts of refused events.
/// Read inside any `Store.read` or `Store.write`; `StoreReader` composes every concern's reader.
public protocol ConsentReader {
    /// The current consent of a subject: the latest ledger record per purpose.
    func consentState(of subject: SubjectRow) throws -> ConsentState
    /// Every ledger record of a subject, oldest first.
    func consentHistory(of subject: SubjectRow) throws -> [ConsentRecord]
    /// The latest decision of every subject that has one for `purpose`.
    func latestDecisions(for purpose: Purpose) throws -> [SubjectRow: ConsentDecision]
}

/// Changes to the consent ledger, inside a `Store.write`; `StoreWriter` composes every concern's writer.
public protocol ConsentWriter {
    /// Appends to the consent ledger. Records are never changed once written.
    func appendConsent(_ record: ConsentRecord, subject: SubjectRow) throws
    /// Adds to the counts of events refused for want of consent (counts only, no personal data).
    func addRefusals(_ counts: [Purpose: Int]) throws
}
