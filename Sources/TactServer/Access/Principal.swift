import TactCore
import TactEngine
import TactPrivacy
import TactStore

/// Who is making a request: an application with an API key, or a person with a token.
public enum Principal: Sendable {
    case key(APIKeyRecord, scopes: Set<Scope>)
    /// A person, with a token bound to their pseudonym.
    case person(PersonToken)

    /// The name written in the audit log: the key's id or "person".
    var auditActor: String {
        switch self {
        case .key(let record, _): "key:" + record.id
        case .person(let token): "person-token:" + token.keyID
        }
    }
}
