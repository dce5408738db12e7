import TactCore

/// One record of who did what with personal data. Never holds raw ids or free text.
public struct AuditEntry: Sendable, Equatable {
    /// Seconds since 1970.
    public var at: Int64
    /// Who acted: "cli", an API key name, "system".
    public var actor: String
    /// What was done, e.g. "import.interactions", "consent.grant".
    public var action: String
    /// The person concerned, if one: given when appending. The log itself keeps only the person's
    /// random audit handle (see `subjectHandle`), which erasure unlinks; entries read back have no pseudonym.
    public var subject: Pseudonym?
    /// The person's audit handle (16 random bytes) as stored; set on entries read back from the log.
    public var subjectHandle: [UInt8]?
    public var purpose: Purpose?
    /// Counts and names, never personal data.
    public var detail: String

    public init(
        at: Int64, actor: String, action: String, subject: Pseudonym? = nil, purpose: Purpose? = nil, detail: String = "", subjectHandle: [UInt8]? = nil
    ) {
        self.subjectHandle = subjectHandle
        self.at = at
        self.actor = actor
        self.action = action
        self.subject = subject
        self.purpose = purpose
        self.detail = detail
    }
}
