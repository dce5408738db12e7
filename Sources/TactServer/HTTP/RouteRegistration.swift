import Hummingbird

extension Router where Context == TactRequestContext {
    /// Registers a route with who may call it declared: `CallerMiddleware` enforces it on the matched route.
    @discardableResult
    func route(
        _ method: HTTPRequest.Method, _ path: String, _ caller: RouteCaller, state: ServerState,
        use handler: @escaping @Sendable (Request, Context) async throws -> some ResponseGenerator
    ) -> Self {
        precondition(!path.contains("{person}"), "\(method) \(path): a route about a person is registered with Router.person")
        state.routes.declare("\(method.rawValue) \(path)", .init(caller: caller))
        if caller.needsCredentials {
            group().add(middleware: CallerMiddleware(caller: caller)).on(RouterPath(path), method: method, use: handler)
        } else {
            on(RouterPath(path), method: method, use: handler)
        }
        return self
    }

    /// Registers a route that processes the data of the person its `{person}` parameter names, with what it
    /// does and who may call it declared: every request to it is audited and shown to the Guard from the
    /// matched route, and the caller is checked inside the audit, so a refused attempt is recorded too.
    @discardableResult
    func person(
        _ method: HTTPRequest.Method, _ path: String, _ access: PersonalAccess, _ caller: RouteCaller, state: ServerState,
        use handler: @escaping @Sendable (Request, Context) async throws -> some ResponseGenerator
    ) -> Self {
        precondition(path.contains("{person}") && caller.needsCredentials, "\(method) \(path): a person route names {person} and needs credentials")
        let action = "\(method.rawValue) \(path)"
        state.routes.declare(action, .init(caller: caller, personal: access))
        let audit = AuditMiddleware(
            action: action, access: access, recorder: state.audit, pseudonymizer: state.engine.pseudonymizer,
            guardian: state.settings.guardEnabled ? state.guardian : nil, clock: state.settings.clock)
        group().add(middleware: audit).add(middleware: CallerMiddleware(caller: caller)).on(RouterPath(path), method: method, use: handler)
        return self
    }
}
