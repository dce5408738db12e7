/// Something the Guard found, explained in words.
public struct GuardAlert: Sendable, Equatable, Codable {
    public enum Severity: String, Sendable, Codable, Comparable {
        /// Not an alarm: a step the Guard took on its own (a throttle lifted).
        case notice
        case medium, high, critical
        public static func < (a: Severity, b: Severity) -> Bool {
            let order: [Severity] = [.notice, .medium, .high, .critical]
            return order.firstIndex(of: a)! < order.firstIndex(of: b)!
        }
    }

    public var at: Int64
    public var principal: String
    public var severity: Severity
    /// "canary", "role", "scrape", "order", "volume", "enumeration", "exports", "refusals", "off-hours", "errors", "pattern" (the isolation forest).
    public var kind: String
    /// Why, in words: "key K read 4,812 distinct persons in 5 minutes, 40× its baseline".
    public var explanation: String
    /// Distinct persons the principal touched in the window that raised the alert.
    public var persons: Int
    /// Whether the signal is sure enough to act on at once, even while the principal is observed: a
    /// canary, a role violated, reading through people in order or with none coming back.
    public var decisive: Bool
    /// Whether it was raised while the principal was still observed (its first hours): recorded, not
    /// acted on, unless decisive.
    public var observing: Bool

    public init(
        at: Int64, principal: String, severity: Severity, kind: String, explanation: String, persons: Int, decisive: Bool = false, observing: Bool = false
    ) {
        self.at = at
        self.principal = principal
        self.severity = severity
        self.kind = kind
        self.explanation = explanation
        self.persons = persons
        self.decisive = decisive
        self.observing = observing
    }
}
