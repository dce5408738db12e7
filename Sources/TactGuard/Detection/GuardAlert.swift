/// Something the Guard found, explained in words.
public struct GuardAlert: Sendable, Equatable, Codable {
    public enum Severity: String, Sendable, Codable, Comparable {
        case medium, high, critical
        public static func < (a: Severity, b: Severity) -> Bool {
            let order: [Severity] = [.medium, .high, .critical]
            return order.firstIndex(of: a)! < order.firstIndex(of: b)!
        }
    }

    public var at: Int64
    public var principal: String
    public var severity: Severity
    /// "canary", "volume", "enumeration", "exports", "refusals", "off-hours", "errors", "pattern" (the isolation forest).
    public var kind: String
    /// Why, in words: "key K read 4,812 distinct persons in 5 minutes, 40× its baseline".
    public var explanation: String
    /// Distinct persons the principal touched in the window that raised the alert.
    public var persons: Int

    public init(at: Int64, principal: String, severity: Severity, kind: String, explanation: String, persons: Int) {
        self.at = at
        self.principal = principal
        self.severity = severity
        self.kind = kind
        self.explanation = explanation
        self.persons = persons
    }
}
