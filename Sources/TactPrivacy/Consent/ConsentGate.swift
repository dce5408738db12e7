import TactCore

/// Decides whether personal data may be processed for a purpose, from the person's consent
/// state and the installation's consent mode. Pure: the same inputs always give the same answer.
public struct ConsentGate: Sendable {
    public let mode: ConsentMode

    public init(mode: ConsentMode) { self.mode = mode }

    /// Essential processing is always permitted; otherwise the latest decision counts, and
    /// with no decision the mode decides (opt-in: refused, opt-out: permitted).
    public func permits(_ purpose: Purpose, state: ConsentState) -> Bool {
        permits(purpose, decision: state.decision(for: purpose))
    }

    /// The same rule, given only the latest decision for the purpose.
    public func permits(_ purpose: Purpose, decision: ConsentDecision?) -> Bool {
        if purpose == .essential { return true }
        switch decision {
        case .grant: return true
        case .deny: return false
        case nil: return mode == .optOut
        }
    }

    /// The purposes a Global Privacy Control signal refuses now: sale-or-sharing and advertising,
    /// unless already refused. Each becomes a ledger record with source `gpc`.
    /// A later grant by the person lifts the refusal until the next request that carries the signal.
    public func refusalsForGlobalPrivacyControl(state: ConsentState) -> [Purpose] {
        Purpose.refusedByGlobalPrivacyControl.filter { state.decision(for: $0) != .deny }
    }

    /// The purposes a bulk import with `--grant` may record as granted: an earlier refusal by the
    /// person (or their GPC signal) stands and is never overwritten by imported consent.
    public func importableGrants(_ purposes: [Purpose], state: ConsentState) -> [Purpose] {
        purposes.filter { p in
            guard let entry = state[p] else { return true }
            switch entry.decision {
            case .grant: return false  // already granted: nothing to record
            case .deny: return entry.source == .bulkImport  // only an imported refusal may be replaced by an imported grant
            }
        }
    }
}
