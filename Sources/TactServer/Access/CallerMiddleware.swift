import Hummingbird
import TactCore
import TactEngine
import TactPrivacy

/// Enforces one route's `RouteCaller` on the matched route: 401 without credentials, 403 for a key
/// without the scope, for a person token on a route that takes none, or for another person's token.
/// It runs inside the route's audit middleware, so a refused attempt at a person's data is audited.
struct CallerMiddleware: RouterMiddleware {
    typealias Context = TactRequestContext
    let caller: RouteCaller

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        switch caller {
        case .anyone, .browser:
            break
        case .key(let scopes):
            try Self.check(context.principal, holds: scopes)
        case .keyOrOwnToken(let scope):
            try Self.check(context.principal, holds: scope, orIs: context.person?.pseudonym)
        }
        return try await next(request, context)
    }

    static func check(_ principal: Principal?, holds needed: [Scope]) throws {
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
    }

    static func check(_ principal: Principal?, holds scope: Scope, orIs person: Pseudonym?) throws {
        guard let principal else {
            throw Problem.unauthorized(
                "this route needs an API key with the '\(scope.rawValue)' scope or the person's own token: send 'Authorization: Bearer …'")
        }
        switch principal {
        case .key(let record, let scopes):
            guard scopes.allows(scope) else { throw Problem.forbidden("the key '\(record.id)' lacks the '\(scope.rawValue)' scope") }
        case .person(let token):
            guard let person, token.subject == person else {
                throw Problem.forbidden("this person token belongs to someone else; a token reads only its own person's data")
            }
        }
    }
}

extension TactRequestContext {
    /// The caller of a route that needs credentials, as `CallerMiddleware` admitted them.
    var caller: Principal {
        get throws {
            guard let principal else { throw Problem.unauthorized("this route needs credentials: send 'Authorization: Bearer …'") }
            return principal
        }
    }
}
