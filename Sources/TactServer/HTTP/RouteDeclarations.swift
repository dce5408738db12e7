import NIOConcurrencyHelpers

/// What each route declared where it was registered, by "METHOD template": who may call it, and for a
/// route about one person, what it does with their data. Filled while routes are registered
/// (`Router.route`, `Router.person`); `TactAPI.router()` refuses to start with a route left out, and the
/// OpenAPI tests compare it with the document.
final class RouteDeclarations: Sendable {
    struct Declaration: Sendable, Equatable {
        var caller: RouteCaller
        /// For a route about the person its `{person}` names: the purpose and kind of the access.
        var personal: PersonalAccess?
    }

    private let declared = NIOLockedValueBox<[String: Declaration]>([:])

    func declare(_ action: String, _ declaration: Declaration) {
        declared.withLockedValue { $0[action] = declaration }
    }

    /// The declaration of "METHOD template", if any.
    func declaration(of action: String) -> Declaration? { declared.withLockedValue { $0[action] } }

    /// The personal access "METHOD template" declared, if any.
    func access(of action: String) -> PersonalAccess? { declaration(of: action)?.personal }

    /// Every declaration, by "METHOD template".
    var all: [String: Declaration] { declared.withLockedValue { $0 } }

    /// The routes (method and path template) registered without a declaration, and the `{person}` routes
    /// that declare no personal access (they would go unaudited).
    func undeclared(in routes: [(path: String, method: String)]) -> [String] {
        routes.map { "\($0.method) \(Self.normalised($0.path))" }
            .filter { action in
                guard let declaration = declaration(of: action) else { return true }
                return action.contains("{person}") && declaration.personal == nil
            }
            .sorted()
    }

    /// A route template with parameters as `{name}`, whichever way the router wrote them.
    static func normalised(_ template: String) -> String {
        guard template.contains(":") else { return template }
        return template.split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
    }
}
