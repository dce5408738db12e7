import TactCore

/// One record of who did what with personal data. Never holds raw ids or free text.
public struct AuditEntry: Sendable, Equatable {
    /// Seconds since 1970.
    public var at: Int64
    /// Who acted: "cli", an API key name, "system".
    public var actor: String
    /// What was done, e.g. "import.interactions", "consent.grant".
    public var action: String
    /// The person concerned, if one.
    public var subject: Pseudonym?
    public var purpose: Purpose?
    /// Counts and names, never personal data.
    public var detail: String

    public init(at: Int64, actor: String, action: String, subject: Pseudonym? = nil, purpose: Purpose? = nil, detail: String = "") {
        self.at = at
        self.actor = actor
        self.action = action
        self.subject = subject
        self.purpose = purpose
        self.detail = detail
    }
}
