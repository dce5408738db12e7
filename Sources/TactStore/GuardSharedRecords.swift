/// One access a server's Guard saw, shared through the store so that one Guard watches every
/// server's traffic (`guard_events`, kept an hour). `person` is the pseudonym in hex, never an id.
public struct GuardEventRecord: Sendable, Equatable {
    /// Set by the store, in commit order.
    public var id: Int64?
    public var at: Int64
    public var principal: String
    public var person: String?
    public var route: String
    public var kind: String
    public var status: Int
    /// The key's role as text ("app", "batch 02-05"), when known.
    public var role: String?
    /// What the person's id said about the order the principal asks for ids in (`IdOrder.Step.code`), when known.
    public var order: Int?

    public init(
        id: Int64? = nil, at: Int64, principal: String, person: String?, route: String, kind: String, status: Int, role: String? = nil, order: Int? = nil
    ) {
        self.id = id
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
