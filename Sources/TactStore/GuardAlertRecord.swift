/// An alert the Guard raised, as stored: what it saw, in words, and what it did about it.
public struct GuardAlertRecord: Sendable, Equatable {
    public var id: Int64?
    /// Seconds since 1970.
    public var at: Int64
    /// The principal: "key:ID" or "person-token:ID".
    public var principal: String
    /// "medium", "high" or "critical".
    public var severity: String
    /// "canary", "volume", "enumeration", "exports", "refusals", "off-hours", "errors", "pattern", "egress", "catalog-pii".
    public var kind: String
    public var explanation: String
    /// Distinct persons the principal touched in the window that raised it.
    public var persons: Int
    /// What was done: "alert", "suspend".
    public var action: String

    public init(id: Int64? = nil, at: Int64, principal: String, severity: String, kind: String, explanation: String, persons: Int, action: String) {
        self.id = id
        self.at = at
        self.principal = principal
        self.severity = severity
        self.kind = kind
        self.explanation = explanation
        self.persons = persons
        self.action = action
    }
}
