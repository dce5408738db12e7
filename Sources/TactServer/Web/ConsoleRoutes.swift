import Foundation
import Hummingbird
import TactCore
import TactEngine
import TactPrivacy
import TactStore

/// The operator console at /console, for someone holding an API key with the `admin` scope: model
/// quality, ingestion and latency; consent rates, the privacy budget and data-subject requests; the
/// audit chain with a verify action, and Guard alerts with suspend and reinstate.
struct ConsoleRoutes {
    let state: ServerState
    var page: WebPage { WebPage(state: state) }
    /// How long a console session lasts.
    static let sessionSeconds: Int64 = 8 * 3600

    func register(on router: Router<TactRequestContext>) {
        router.route(.get, "/console/signin", .browser, state: state) { request, context in
            await page.guarded(request, context, area: .console) { try signInPage(request) }
        }
        router.route(.post, "/console/signin", .browser, state: state) { request, context in
            await page.guarded(request, context, area: .console) { try await signIn(request) }
        }
        router.route(.post, "/console/signout", .browser, state: state) { request, context in
            await page.guarded(request, context, area: .console) {
                _ = try await WebForm.read(request, area: .console, tokens: state.engine.formTokens)
                return page.redirect(to: "/console/signin", cookies: [WebSecurity.expired(WebSecurity.operatorCookie, path: "/console")])
            }
        }
        router.route(.get, "/console", .browser, state: state) { request, context in
            await page.guarded(request, context, area: .console) { try overview(request) }
        }
        router.route(.get, "/console/privacy", .browser, state: state) { request, context in
            await page.guarded(request, context, area: .console) { try privacy(request) }
        }
        router.route(.get, "/console/security", .browser, state: state) { request, context in
            await page.guarded(request, context, area: .console) {
                let notice: String? =
                    switch request.uri.queryParameters.get("done") {
                    case "suspended": "The key is suspended: its requests are refused from now on."
                    case "reinstated": "The key is reinstated."
                    default: nil
                    }
                return try security(request, verification: nil, notice: notice)
            }
        }
        router.route(.post, "/console/audit/verify", .browser, state: state) { request, context in
            await page.guarded(request, context, area: .console) { try await verifyAudit(request) }
        }
        router.route(.post, "/console/keys/suspend", .browser, state: state) { request, context in
            await page.guarded(request, context, area: .console) { try await changeKey(request, suspend: true) }
        }
        router.route(.post, "/console/keys/reinstate", .browser, state: state) { request, context in
            await page.guarded(request, context, area: .console) { try await changeKey(request, suspend: false) }
        }
    }

    // MARK: Session

    /// The signed-in operator's key, checked again now: active and with the `admin` scope.
    func operatorKey(_ request: Request) throws -> APIKeyRecord {
        guard let text = WebSecurity.cookies(of: request)[WebSecurity.operatorCookie],
            let session = state.engine.operatorSessions.verify(text, now: Int64(Date().timeIntervalSince1970))
        else {
            throw Problem.unauthorized("sign in with an API key that has the 'admin' scope")
        }
        let record = try adminKey(id: session.keyID)
        if let wait = state.limiter.take(record.id) { throw Problem.rateLimited(retryAfter: max(1, Int(wait.rounded(.up)))) }
        return record
    }

    func adminKey(id: String) throws -> APIKeyRecord {
        guard let record = try APIKeyService(engine: state.engine).list().first(where: { $0.id == id }), !record.isRevoked else {
            throw Problem.unauthorized("the key this session was opened with is revoked; sign in with another")
        }
        guard !record.isSuspended else {
            throw Problem.unauthorized("the key '\(record.id)' is suspended; sign in with another, or reinstate it with 'tact keys reinstate'")
        }
        guard APIKeyService.scopes(of: record).allows(.admin) else {
            throw Problem.forbidden("the key '\(record.id)' lacks the 'admin' scope the console needs; create one with 'tact keys create --scopes admin'")
        }
        return record
    }

    func signInPage(_ request: Request) throws -> Response {
        let now = Int64(Date().timeIntervalSince1970)
        if let text = request.uri.queryParameters.get("token") {
            // A sign-in link (`tact demo` prints one): an operator session for an admin key.
            guard let session = state.engine.operatorSessions.verify(String(text), now: now) else {
                throw Problem.unauthorized("this console link is expired or not valid here; sign in with an admin key")
            }
            _ = try adminKey(id: session.keyID)
            return page.redirect(
                to: "/console",
                cookies: [
                    WebSecurity.cookie(
                        WebSecurity.operatorCookie, String(text), path: "/console",
                        maxAge: session.expiresAt - now)
                ])
        }
        return page.render(
            "console-signin", title: "Sign in", area: .console, request: request,
            values: ["minutes": Self.sessionSeconds / 60], status: .ok)
    }

    func signIn(_ request: Request) async throws -> Response {
        let form = try await WebForm.read(request, area: .console, tokens: state.engine.formTokens)
        guard let key = form["key"]?.trimmingCharacters(in: .whitespaces), !key.isEmpty,
            let record = try state.keys.authenticate(key)
        else {
            if let wait = state.limiter.take("console-signin") { throw Problem.rateLimited(retryAfter: max(1, Int(wait.rounded(.up)))) }
            throw Problem.unauthorized("that API key is unknown, revoked or suspended")
        }
        _ = try adminKey(id: record.id)
        let now = Int64(Date().timeIntervalSince1970)
        let session = OperatorSession(keyID: record.id, issuedAt: now, expiresAt: now + Self.sessionSeconds)
        try state.engine.audit.append(AuditEntry(at: now, actor: "key:" + record.id, action: "console.signin", detail: "session until \(session.expiresAt)"))
        return page.redirect(
            to: "/console",
            cookies: [
                WebSecurity.cookie(
                    WebSecurity.operatorCookie, state.engine.operatorSessions.sign(session),
                    path: "/console", maxAge: Self.sessionSeconds)
            ])
    }

    // MARK: Pages

    func overview(_ request: Request) throws -> Response {
        _ = try operatorKey(request)
        let view = ConsoleView(state: state)
        let values = try view.overview()
        return page.render(
            "console-overview", title: "Models and traffic", area: .console, request: request, values: values,
            currentPath: "/console", signedIn: true)
    }

    func privacy(_ request: Request) throws -> Response {
        _ = try operatorKey(request)
        let view = ConsoleView(state: state)
        let values = try view.privacy()
        return page.render(
            "console-privacy", title: "Consent, budget and requests", area: .console, request: request, values: values,
            currentPath: "/console/privacy", signedIn: true)
    }

    func security(_ request: Request, verification: AuditVerification?, notice: String? = nil) throws -> Response {
        let key = try operatorKey(request)
        var values = try ConsoleView(state: state).security(operatorKey: key.id)
        if let verification {
            values["verification"] = verification.isIntact ? "Verified just now: " + verification.summary : "The chain is broken: " + verification.summary
            values["verificationClass"] = verification.isIntact ? "ok" : "problem"
        }
        return page.render(
            "console-security", title: "Audit and Guard", area: .console, request: request, values: values,
            currentPath: "/console/security", signedIn: true, notice: notice)
    }

    func verifyAudit(_ request: Request) async throws -> Response {
        let key = try operatorKey(request)
        _ = try await WebForm.read(request, area: .console, tokens: state.engine.formTokens)
        let engine = state.engine, publicKey = state.checkpointer.key?.publicKey
        let verification = try await BlockingWork.run(timeout: RightsRoutes.rightsTimeout) { try engine.audit.verify(publicKey: publicKey) }
        try engine.audit.append(
            AuditEntry(
                at: Int64(Date().timeIntervalSince1970), actor: "key:" + key.id, action: "audit.verify",
                detail: verification.isIntact ? "intact" : "broken"))
        return try security(request, verification: verification)
    }

    func changeKey(_ request: Request, suspend: Bool) async throws -> Response {
        let key = try operatorKey(request)
        let form = try await WebForm.read(request, area: .console, tokens: state.engine.formTokens)
        guard let id = form["key"], !id.isEmpty else { throw Problem.badRequest("the form named no key; reload the page and try again", field: "key") }
        let service = APIKeyService(engine: state.engine)
        guard try service.list().contains(where: { $0.id == id }) else { throw Problem.notFound("no key has the id '\(id.prefix(40))'", field: "key") }
        if suspend {
            guard id != key.id else { throw Problem.badRequest("you cannot suspend the key you are signed in with", field: "key") }
            _ = try service.suspend(id: id, reason: "suspended from the console by \(key.id)", actor: "key:" + key.id)
        } else {
            _ = try service.reinstate(id: id, actor: "key:" + key.id)
        }
        // This server's cache of keys learns it now; other servers within their cache lifetime.
        state.keys.invalidate()
        return page.redirect(to: "/console/security?done=\(suspend ? "suspended" : "reinstated")")
    }
}
