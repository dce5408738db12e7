/// A data-subject request as tracked for auditors: what was asked, by whom, when it was received,
/// verified and completed, and the legal deadline. Kept under a reference that is not the person's
/// pseudonym (see `RequestReferencer`), so the record of an erasure outlives the person's data.
public struct SubjectRequest: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable, Codable {
        /// Art. 15 and 20: a copy of everything held, in a portable form.
        case access
        /// Art. 17: everything removed, models included.
        case erasure
        /// Art. 16: interactions deleted or corrected.
        case rectification
        /// Art. 18: data kept but frozen; no training, no personalization.
        case restriction
        /// The end of a restriction.
        case restrictionLifted = "restriction-lifted"
        /// Art. 21: no profiling; non-personalized recommendations only.
        case objection
        /// Art. 7(3): consent for a purpose withdrawn.
        case withdrawal

        /// Whether completing it removes the person's contribution from trained models.
        public var changesModels: Bool {
            switch self {
            case .erasure, .rectification, .restriction, .withdrawal: true
            case .access, .restrictionLifted, .objection: false
            }
        }
    }

    public enum Status: String, Sendable, Codable {
        case received, verified, completed, refused
    }

    /// Store row; 0 before it is stored.
    public var id: Int64
    public var kind: Kind
    /// `RequestReferencer.reference(for:)` of the person's pseudonym (32 bytes).
    public var reference: [UInt8]
    /// Who acted on it: an API key id, "token" (the person themself), "cli".
    public var actor: String
    public var receivedAt: Int64
    public var verifiedAt: Int64?
    public var completedAt: Int64?
    /// The legal deadline: one month under the GDPR, 45 days under the CCPA.
    public var dueAt: Int64
    public var status: Status
    /// Counts and names, never personal data.
    public var detail: String

    public init(
        id: Int64 = 0, kind: Kind, reference: [UInt8], actor: String, receivedAt: Int64, verifiedAt: Int64? = nil,
        completedAt: Int64? = nil, dueAt: Int64, status: Status = .received, detail: String = ""
    ) {
        self.id = id
        self.kind = kind
        self.reference = reference
        self.actor = actor
        self.receivedAt = receivedAt
        self.verifiedAt = verifiedAt
        self.completedAt = completedAt
        self.dueAt = dueAt
        self.status = status
        self.detail = detail
    }
}

/// What an erasure removed from the store.
public struct ErasureCounts: Sendable, Equatable {
    public var interactions = 0
    public var consentRecords = 0
    public init(interactions: Int = 0, consentRecords: Int = 0) {
        self.interactions = interactions
        self.consentRecords = consentRecords
    }
}
