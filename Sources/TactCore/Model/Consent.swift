/// A person's answer for one purpose.
public enum ConsentDecision: String, Sendable, Codable {
    case grant, deny
}

/// Who or what produced a consent record.
public enum ConsentSource: String, Sendable, Codable, CaseIterable {
    /// The person, through a consent prompt or the privacy center.
    case person
    /// An operator acting on the person's documented request.
    case operatorRequest = "operator"
    /// A bulk import of history whose consent was collected elsewhere.
    case bulkImport = "import"
    /// A Global Privacy Control signal (Sec-GPC: 1) seen on a request.
    case globalPrivacyControl = "gpc"
    /// The person objected to profiling (GDPR Art. 21): personalization and advertising refused.
    case objection
}

/// One entry of the append-only consent ledger.
public struct ConsentRecord: Sendable, Equatable {
    public var subject: Pseudonym
    public var purpose: Purpose
    public var decision: ConsentDecision
    public var source: ConsentSource
    /// Seconds since 1970.
    public var recordedAt: Int64
    /// The policy version the person was shown.
    public var policyVersion: String
    /// Free text for the record (never personal data), e.g. where imported consent came from.
    public var note: String?

    public init(
        subject: Pseudonym, purpose: Purpose, decision: ConsentDecision, source: ConsentSource,
        recordedAt: Int64, policyVersion: String, note: String? = nil
    ) {
        self.subject = subject
        self.purpose = purpose
        self.decision = decision
        self.source = source
        self.recordedAt = recordedAt
        self.policyVersion = policyVersion
        self.note = note
    }
}

/// The current consent of one person, derived from the latest ledger entry per purpose.
public struct ConsentState: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var decision: ConsentDecision
        public var source: ConsentSource
        public var recordedAt: Int64
        public init(decision: ConsentDecision, source: ConsentSource, recordedAt: Int64) {
            self.decision = decision
            self.source = source
            self.recordedAt = recordedAt
        }
    }

    /// The latest entry per purpose, indexed by `Purpose.ordinal` (checked once per event: kept flat).
    @usableFromInline var slots: [Entry?] = Array(repeating: nil, count: Purpose.allCases.count)

    public init(entries: [Purpose: Entry] = [:]) {
        for (p, e) in entries { slots[p.ordinal] = e }
    }

    /// The latest entry per purpose that has one.
    public var entries: [Purpose: Entry] {
        get {
            var d: [Purpose: Entry] = [:]
            for p in Purpose.allCases { if let e = slots[p.ordinal] { d[p] = e } }
            return d
        }
        set {
            slots = Array(repeating: nil, count: Purpose.allCases.count)
            for (p, e) in newValue { slots[p.ordinal] = e }
        }
    }

    public subscript(purpose: Purpose) -> Entry? {
        get { slots[purpose.ordinal] }
        set { slots[purpose.ordinal] = newValue }
    }

    @inlinable
    public func decision(for purpose: Purpose) -> ConsentDecision? { slots[purpose.ordinal]?.decision }

    /// Applies a newer ledger record.
    public mutating func apply(_ record: ConsentRecord) {
        slots[record.purpose.ordinal] = Entry(decision: record.decision, source: record.source, recordedAt: record.recordedAt)
    }
}

/// How consent defaults when a person has said nothing.
public enum ConsentMode: String, Sendable, Codable, CaseIterable {
    /// GDPR: nothing is collected for a purpose until the person grants it.
    case optIn = "opt-in"
    /// CCPA: collected until the person refuses; a GPC signal refuses sale-or-sharing and advertising.
    case optOut = "opt-out"
}
