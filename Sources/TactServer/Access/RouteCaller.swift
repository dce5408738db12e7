import TactEngine

/// Who may call a route, declared once where the route is registered (`Router.route`, `Router.person`).
/// `CallerMiddleware` enforces it on the matched route, the OpenAPI document's `x-tact-scopes` and
/// `x-tact-person-token` are checked against it, and no handler checks scopes itself.
enum RouteCaller: Sendable, Equatable {
    /// Anyone, without credentials: health, metrics, the OpenAPI document, the published policy.
    case anyone
    /// A browser page of the privacy center or the console: its own signed sign-in cookie decides
    /// (docs/web.md), not API credentials.
    case browser
    /// An API key holding at least one of these scopes (an `admin` key holds them all).
    case key([Scope])
    /// An API key with this scope, or the person the route's `{person}` names, with their own token.
    case keyOrOwnToken(Scope)

    static func key(_ scope: Scope) -> Self { .key([scope]) }

    /// The scopes that open the route (empty for `anyone` and `browser`).
    var scopes: [Scope] {
        switch self {
        case .anyone, .browser: []
        case .key(let scopes): scopes
        case .keyOrOwnToken(let scope): [scope]
        }
    }

    /// Whether a person's own token opens the route.
    var acceptsPersonToken: Bool {
        if case .keyOrOwnToken = self { return true }
        return false
    }

    /// Whether the route asks for API credentials at all.
    var needsCredentials: Bool { !scopes.isEmpty }
}
