import Foundation
import TactCore
import TactStore

/// Records and reports a person's consent, identified by their external id.
public struct ConsentService: Sendable {
    public let engine: Engine

    public init(engine: Engine) { self.engine = engine }

    /// Appends one ledger record per purpose whose current decision differs; returns the resulting state.
    @discardableResult
    public func record(
        user: String, purposes: [Purpose], decision: ConsentDecision, source: ConsentSource = .person,
        note: String? = nil, actor: String = "cli", at: Int64? = nil
    ) throws -> ConsentState {
        try record(
            pseudonym: engine.pseudonymizer.pseudonym(for: user), purposes: purposes, decision: decision, source: source,
            note: note, actor: actor, at: at)
    }

    /// `record(user:…)` for a person known only by their pseudonym (a person token's holder).
    @discardableResult
    public func record(
        pseudonym: Pseudonym, purposes: [Purpose], decision: ConsentDecision, source: ConsentSource = .person,
        note: String? = nil, actor: String = "cli", at: Int64? = nil
    ) throws -> ConsentState {
        let now = at ?? Int64(Date().timeIntervalSince1970)
        let version = engine.policy.version
        return try engine.store.write { w in
            let row = try w.subjectRow(for: pseudonym) ?? w.insertSubject(pseudonym, createdAt: now)
            var state = try w.consentState(of: row)
            for purpose in purposes where state.decision(for: purpose) != decision {
                let r = ConsentRecord(
                    subject: pseudonym, purpose: purpose, decision: decision, source: source,
                    recordedAt: now, policyVersion: version, note: note)
                try w.appendConsent(r, subject: row)
                state.apply(r)
                try w.appendAudit(
                    AuditEntry(
                        at: now, actor: actor, action: "consent.\(decision.rawValue)", subject: pseudonym, purpose: purpose, detail: "source=\(source.rawValue)"
                    ))
            }
            return state
        }
    }

    /// The person's current consent; nil when nothing is stored for them.
    public func current(pseudonym: Pseudonym) throws -> ConsentState? {
        try engine.store.read { r in try r.subjectRow(for: pseudonym).map { try r.consentState(of: $0) } }
    }

    /// How many people are stored, and every person's latest decision per purpose (those with one).
    public func decisions() throws -> (people: Int, byPurpose: [Purpose: [SubjectRow: ConsentDecision]]) {
        try engine.store.read { r in
            var decisions: [Purpose: [SubjectRow: ConsentDecision]] = [:]
            for p in Purpose.allCases { decisions[p] = try r.latestDecisions(for: p) }
            return (try r.statistics().subjects, decisions)
        }
    }

    /// The person's consent history (oldest first), empty if nothing is stored for them.
    public func history(user: String) throws -> [ConsentRecord] {
        try history(pseudonym: engine.pseudonymizer.pseudonym(for: user))
    }

    public func history(pseudonym: Pseudonym) throws -> [ConsentRecord] {
        try engine.store.read { r in
            guard let row = try r.subjectRow(for: pseudonym) else { return [] }
            return try r.consentHistory(of: row)
        }
    }

    /// Whether processing for each purpose is permitted now, and why.
    public func effective(user: String) throws -> [(purpose: Purpose, permitted: Bool, entry: ConsentState.Entry?)] {
        var state = ConsentState()
        for r in try history(user: user) { state.apply(r) }
        return Purpose.allCases.map { ($0, engine.gate.permits($0, state: state), state[$0]) }
    }

    /// Records the refusals a Global Privacy Control signal (`Sec-GPC: 1`) implies for a person, when
    /// they are not refused already; returns the purposes newly refused (usually none: a read, no write).
    @discardableResult
    public func applyGlobalPrivacyControl(user: String, actor: String) throws -> [Purpose] {
        try applyGlobalPrivacyControl(pseudonym: engine.pseudonymizer.pseudonym(for: user), actor: actor)
    }

    @discardableResult
    public func applyGlobalPrivacyControl(pseudonym: Pseudonym, actor: String) throws -> [Purpose] {
        let state = try engine.store.read { r in try r.subjectRow(for: pseudonym).map { try r.consentState(of: $0) } ?? ConsentState() }
        let refusals = engine.gate.refusalsForGlobalPrivacyControl(state: state)
        guard !refusals.isEmpty else { return [] }
        try record(pseudonym: pseudonym, purposes: refusals, decision: .deny, source: .globalPrivacyControl, note: "Sec-GPC: 1", actor: actor)
        return refusals
    }
}
