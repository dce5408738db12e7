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

extension TactRequestContext {
    /// The caller, if they hold `scope`; otherwise a 401 (no credentials) or 403 (not enough).
    func require(_ scope: Scope) throws -> Principal { try require(anyOf: [scope]) }

    /// The caller, if they hold at least one of `needed`.
    func require(anyOf needed: [Scope]) throws -> Principal {
        let names = needed.map { "'\($0.rawValue)'" }.joined(separator: " or ")
        guard let principal else { throw Problem.unauthorized("this route needs an API key with the \(names) scope: send 'Authorization: Bearer KEY'") }
        switch principal {
        case .key(let record, let scopes):
            guard needed.contains(where: { scopes.allows($0) }) else {
                throw Problem.forbidden("the key '\(record.id)' lacks the \(names) scope; create one with 'tact keys create --scopes \(needed[0].rawValue)'")
            }
        case .person:
            throw Problem.forbidden("a person token cannot use this route; it reads only its own person's recommendations, consent and data")
        }
        return principal
    }

    /// The caller, if they may act for the person with `pseudonym`: a key with `scope`, or that person's own token.
    func requireAccess(to pseudonym: Pseudonym, scope: Scope) throws -> Principal {
        guard let principal else {
            throw Problem.unauthorized("this route needs an API key with the '\(scope.rawValue)' scope or the person's own token: send 'Authorization: Bearer …'")
        }
        switch principal {
        case .key(let record, let scopes):
            guard scopes.allows(scope) else { throw Problem.forbidden("the key '\(record.id)' lacks the '\(scope.rawValue)' scope") }
        case .person(let token):
            guard token.subject == pseudonym else { throw Problem.forbidden("this person token belongs to someone else; a token reads only its own person's data") }
        }
        return principal
    }
}
