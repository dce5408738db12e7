import TactCore

extension ConsentRecord {
    /// A ledger record from its stored columns (both stores keep purpose, decision and source as text); a
    /// name this version does not know means the store is damaged, and is said so.
    static func stored(
        subject: Pseudonym, purpose purposeName: String, decision decisionName: String, source sourceName: String,
        recordedAt: Int64, policyVersion: String, note: String?
    ) throws -> ConsentRecord {
        guard let purpose = Purpose(rawValue: purposeName), let decision = ConsentDecision(rawValue: decisionName),
            let source = ConsentSource(rawValue: sourceName)
        else {
            throw StoreError.corrupt(what: "consent record \(purposeName)/\(decisionName)/\(sourceName)")
        }
        return ConsentRecord(
            subject: subject, purpose: purpose, decision: decision, source: source, recordedAt: recordedAt, policyVersion: policyVersion, note: note)
    }
}
