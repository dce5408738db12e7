/// One access to personal data as the Guard sees it (from the audit log): when, by whom, to whom,
/// through which route, and how it ended. Persons are opaque keys (audit handles), never ids.
public struct AccessEvent: Sendable, Equatable {
    public enum Kind: String, Sendable, Codable {
        case read, write, export, erase
        /// Events sent for the person (`POST /v1/events`): not an access the monitor counts, but what tells it
        /// who is active and which persons a key sends events for (`ActivityMemory`).
        case ingest
    }

    /// Seconds since 1970.
    public var at: Int64
    /// Who: an API key id ("key:…") or a person token ("person-token:…").
    public var principal: String
    /// Whose data, if one person's.
    public var person: String?
    /// The route template, e.g. "GET /v1/people/{person}/recommendations".
    public var route: String
    public var kind: Kind
    /// The HTTP status.
    public var status: Int
    /// The principal's role, when it is a key (a person token is a device); nil: an app.
    public var role: RoleAssignment?
    /// What this person's id says about the order this principal asks for ids in (`IdOrder`); nil when
    /// unknown. Computed where the id is known, so that the id itself never reaches the Guard.
    public var order: IdOrder.Step?

    public init(
        at: Int64, principal: String, person: String?, route: String, kind: Kind = .read, status: Int = 200, role: RoleAssignment? = nil,
        order: IdOrder.Step? = nil
    ) {
        self.at = at
        self.principal = principal
        self.person = person
        self.route = route
        self.kind = kind
        self.status = status
        self.role = role
        self.order = order
    }
}
