import TactCore
import TactEngine
import TactGuard
import TactPrivacy
import TactStore

/// Who is making a request: an application with an API key, or a person with a token.
public enum Principal: Sendable {
    case key(APIKeyRecord, scopes: Set<Scope>)
    /// A person, with a token bound to their pseudonym.
    case person(PersonToken)

    /// The role the Guard holds it to: its key's (nil when it has none), or a device's for a person token.
    var role: RoleAssignment? {
        switch self {
        case .key(let record, _): APIKeyService.role(of: record)
        case .person: RoleAssignment(.device)
        }
    }

    /// The name written in the audit log: the key's id or "person".
    var auditActor: String {
        switch self {
        case .key(let record, _): "key:" + record.id
        case .person(let token): "person-token:" + token.keyID
        }
    }
}
