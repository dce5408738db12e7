/// An audit entry exactly as stored: its id, its column values as bytes and text, and its chain hash.
/// Verification hashes these values, never a decoded `AuditEntry`, so that what is checked is what is kept.
public struct AuditRow: Sendable, Equatable {
    /// Position in the log: 1 for the first entry, then one more for each.
    public var id: Int64
    public var at: Int64
    public var actor: String
    public var action: String
    /// Who the entry concerns, as opaque bytes (nil when no one).
    public var subject: [UInt8]?
    public var purpose: String?
    public var detail: String
    /// The stored chain hash (nil when the row was written by something other than Tact).
    public var hash: [UInt8]?

    public init(id: Int64, at: Int64, actor: String, action: String, subject: [UInt8]?, purpose: String?, detail: String, hash: [UInt8]?) {
        self.id = id
        self.at = at
        self.actor = actor
        self.action = action
        self.subject = subject
        self.purpose = purpose
        self.detail = detail
        self.hash = hash
    }
}
