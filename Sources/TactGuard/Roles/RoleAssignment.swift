/// A principal's role, and for a batch job the hours it declared it runs in. Its text form is what
/// `tact keys list` shows and the shared Guard events carry: "app", "batch 02-05".
public struct RoleAssignment: Sendable, Equatable, Codable, CustomStringConvertible {
    public var role: KeyRole
    /// UTC hours the principal may read in (a batch job's schedule); nil: any hour.
    public var hours: ActiveHours?

    public init(_ role: KeyRole, hours: ActiveHours? = nil) {
        self.role = role
        self.hours = hours
    }

    /// Reads "app", "batch" or "batch 02-05"; nil for anything else.
    public init?(text: String) {
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        guard (1...2).contains(parts.count), let role = KeyRole(rawValue: String(parts[0])) else { return nil }
        self.role = role
        if parts.count == 2 {
            guard let hours = ActiveHours(text: String(parts[1])) else { return nil }
            self.hours = hours
        }
    }

    public var description: String { hours.map { "\(role.rawValue) \($0)" } ?? role.rawValue }
}
