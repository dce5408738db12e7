/// One access to personal data as the Guard sees it (from the audit log): when, by whom, to whom,
/// through which route, and how it ended. Persons are opaque keys (audit handles), never ids.
public struct AccessEvent: Sendable, Equatable {
    public enum Kind: String, Sendable, Codable {
        case read, write, export, erase
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

    public init(at: Int64, principal: String, person: String?, route: String, kind: Kind = .read, status: Int = 200) {
        self.at = at
        self.principal = principal
        self.person = person
        self.route = route
        self.kind = kind
        self.status = status
    }
}
