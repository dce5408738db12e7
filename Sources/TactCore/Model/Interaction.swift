/// One event as it arrives from outside, before consent checks and pseudonymization.
/// `user` is the raw external id: it never goes further than the ingestion pipeline.
public struct IncomingInteraction: Sendable, Equatable {
    public var user: String
    public var item: String
    public var kind: InteractionKind
    public var value: Double
    /// Seconds since 1970.
    public var timestamp: Int64
    /// Optional free text that came with the event (a note, a search query).
    public var context: String?
    /// The purpose the event serves; nil means personalization.
    public var purpose: Purpose?
    /// True when the request carried a Global Privacy Control signal (Sec-GPC: 1).
    public var globalPrivacyControl: Bool

    public init(
        user: String, item: String, kind: InteractionKind = .view, value: Double? = nil,
        timestamp: Int64, context: String? = nil, purpose: Purpose? = nil, globalPrivacyControl: Bool = false
    ) {
        self.user = user
        self.item = item
        self.kind = kind
        self.value = value ?? kind.defaultValue
        self.timestamp = timestamp
        self.context = context
        self.purpose = purpose
        self.globalPrivacyControl = globalPrivacyControl
    }
}

/// One stored event: the subject is a pseudonym, never a raw id.
public struct Interaction: Sendable, Equatable {
    public var subject: Pseudonym
    public var item: String
    public var kind: InteractionKind
    public var value: Double
    public var timestamp: Int64
    public var context: String?

    public init(subject: Pseudonym, item: String, kind: InteractionKind, value: Double, timestamp: Int64, context: String? = nil) {
        self.subject = subject
        self.item = item
        self.kind = kind
        self.value = value
        self.timestamp = timestamp
        self.context = context
    }
}
