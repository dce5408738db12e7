import Foundation
import Hummingbird
import TactCore
import TactEngine
import TactPrivacy

/// The privacy center at /privacy, for a person who opened the personal link a service gave them
/// (`/privacy/signin?token=` with a person token): what is kept about them and why, their choices,
/// their recommendations with reasons, download and deletion of their data, and the policy. Every
/// action is a plain form (no script needed); the session is the person token in an HttpOnly cookie.
struct PrivacyCenterRoutes {
    let state: ServerState
    var page: WebPage { WebPage(state: state) }

    func register(on router: Router<TactRequestContext>) {
        router.route(.get, "/privacy/signin", .browser, state: state) { request, context in
            await page.guarded(request, context, area: .privacy) { try signIn(request) }
        }
        router.route(.get, "/privacy", .browser, state: state) { request, context in
            await page.guarded(request, context, area: .privacy) { try await home(request) }
        }
        router.route(.post, "/privacy/consent", .browser, state: state) { request, context in
            await page.guarded(request, context, area: .privacy) { try await consent(request) }
        }
        router.route(.post, "/privacy/export", .browser, state: state) { request, context in
            await page.guarded(request, context, area: .privacy) { try await export(request) }
        }
        router.route(.get, "/privacy/delete", .browser, state: state) { request, context in
            await page.guarded(request, context, area: .privacy) { try confirmDeletion(request) }
        }
        router.route(.post, "/privacy/delete", .browser, state: state) { request, context in
            await page.guarded(request, context, area: .privacy) { try await delete(request) }
        }
        router.route(.get, "/privacy/policy", .browser, state: state) { request, context in
            await page.guarded(request, context, area: .privacy) { try policy(request) }
        }
        router.route(.post, "/privacy/signout", .browser, state: state) { request, context in
            await page.guarded(request, context, area: .privacy) {
                _ = try await WebForm.read(request, area: .privacy, tokens: state.engine.formTokens)
                return page.redirect(to: "/privacy", cookies: [WebSecurity.expired(WebSecurity.personCookie, path: "/privacy")])
            }
        }
    }

    // MARK: Session

    /// The signed-in person, or a 401 that says how to sign in.
    func person(_ request: Request) throws -> PersonToken {
        guard let text = WebSecurity.cookies(of: request)[WebSecurity.personCookie], !text.isEmpty else {
            throw Problem.unauthorized("you are not signed in: open the personal link the service gave you")
        }
        let token: PersonToken
        do { token = try state.engine.personTokens.verify(text, now: Int64(Date().timeIntervalSince1970)) } catch {
            throw Problem.unauthorized("your session has ended (\(error.description)); open a new personal link from the service")
        }
        guard try state.keys.isActive(keyID: token.keyID) else {
            throw Problem.unauthorized("the service that signed you in has been revoked; ask it for a new link")
        }
        if let wait = state.limiter.take("person:" + token.subject.hex) { throw Problem.rateLimited(retryAfter: max(1, Int(wait.rounded(.up)))) }
        return token
    }

    func signIn(_ request: Request) throws -> Response {
        guard let text = request.uri.queryParameters.get("token"), !text.isEmpty else {
            return page.render(
                "privacy-signin", title: "Sign in", area: .privacy, request: request,
                values: ["minutes": Int(state.settings.personTokenSeconds / 60)], status: .unauthorized)
        }
        let now = Int64(Date().timeIntervalSince1970)
        let token: PersonToken
        do { token = try state.engine.personTokens.verify(String(text), now: now) } catch {
            throw Problem.unauthorized("this link cannot sign you in: \(error.description)")
        }
        guard try state.keys.isActive(keyID: token.keyID) else {
            throw Problem.unauthorized("the service that issued this link has been revoked; ask it for a new link")
        }
        // The token leaves the address bar at once (303), and the page sends no Referer.
        return page.redirect(
            to: "/privacy",
            cookies: [
                WebSecurity.cookie(WebSecurity.personCookie, String(text), path: "/privacy", maxAge: token.expiresAt - now)
            ])
    }

    // MARK: Pages

    func home(_ request: Request) async throws -> Response {
        guard WebSecurity.cookies(of: request)[WebSecurity.personCookie] != nil else { return try signIn(request) }
        let token = try person(request)
        let pseudonym = token.subject, engine = state.engine, actor = "person-token:" + token.keyID
        try state.honourGlobalPrivacyControl(request, for: pseudonym, actor: actor)
        let overview = try await BlockingWork.run(timeout: state.settings.requestTimeoutSeconds) {
            try SubjectOverview.read(pseudonym: pseudonym, engine: engine)
        }
        let ranked = try state.recommendations(state.registry.current).forPerson(pseudonym, RecommendationRequest(k: 10))
        audit(token, action: "GET /privacy")
        let view = PrivacyCenterView(engine: engine, overview: overview)
        let notice: String? =
            switch request.uri.queryParameters.get("done") {
            case "consent": "Your choices are saved and apply now."
            default: nil
            }
        var values = view.values()
        // Advertising topics are inferred data too: shown whenever the person's consent lets them be computed.
        if let topics = try state.ads.topics(of: pseudonym), !topics.isEmpty {
            values["adTopics"] = topics.joined(separator: ", ")
        }
        values.merge(view.recommendations(ranked)) { $1 }
        return page.render(
            "privacy-home", title: "Your privacy center", area: .privacy, request: request, values: values,
            currentPath: "/privacy", signedIn: true, notice: notice)
    }

    func consent(_ request: Request) async throws -> Response {
        let token = try person(request)
        let form = try await WebForm.read(request, area: .privacy, tokens: state.engine.formTokens)
        let shown = Set(form.all("shown").compactMap(Purpose.init(rawValue:)))
        let allowed = Set(form.all("allow").compactMap(Purpose.init(rawValue:)))
        guard !shown.isEmpty else { throw Problem.badRequest("the form named no purpose; reload the page and try again", field: "shown") }
        let pseudonym = token.subject, engine = state.engine, trainer = state.trainer, actor = "person-token:" + token.keyID
        try await BlockingWork.run(timeout: RightsRoutes.rightsTimeout) {
            let current = try ConsentService(engine: engine).current(pseudonym: pseudonym) ?? ConsentState()
            let service = ConsentService(engine: engine)
            for purpose in Purpose.allCases where shown.contains(purpose) && purpose != .essential {
                let permitted = engine.gate.permits(purpose, state: current)
                let wanted = allowed.contains(purpose)
                // Only what the person changed is recorded: a box left as it was writes nothing.
                if wanted, !permitted {
                    try service.record(pseudonym: pseudonym, purposes: [purpose], decision: .grant, source: .person, note: "privacy center", actor: actor)
                } else if !wanted, permitted {
                    if purpose == .modelTraining {
                        // As through the API: the person's contribution leaves the models at once.
                        try SubjectRights(engine: engine).withdraw(pseudonym: pseudonym, purposes: [purpose], actor: actor)
                        _ = try trainer.refreshModel()
                    } else {
                        try service.record(pseudonym: pseudonym, purposes: [purpose], decision: .deny, source: .person, note: "privacy center", actor: actor)
                    }
                }
            }
        }
        state.cache?.forget(pseudonym)
        return page.redirect(to: "/privacy?done=consent")
    }

    func export(_ request: Request) async throws -> Response {
        let token = try person(request)
        _ = try await WebForm.read(request, area: .privacy, tokens: state.engine.formTokens)
        let engine = state.engine, recommender = state.registry.current.recommender, actor = "person-token:" + token.keyID
        let document = try await BlockingWork.run(timeout: state.settings.requestTimeoutSeconds) {
            try SubjectExporter(engine: engine).export(pseudonym: token.subject, id: nil, actor: actor, recommender: recommender)
        }
        var headers = WebSecurity.pageHeaders()
        headers[.contentType] = "application/json"
        headers[.contentDisposition] = "attachment; filename=\"my-data.json\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try document.jsonData())))
    }

    func confirmDeletion(_ request: Request, problem: String? = nil) throws -> Response {
        let token = try person(request)
        let overview = try SubjectOverview.read(pseudonym: token.subject, engine: state.engine)
        audit(token, action: "GET /privacy/delete")
        let what =
            "\(overview.interactions) activity event\(overview.interactions == 1 ? "" : "s"), \(overview.consentRecords) consent record\(overview.consentRecords == 1 ? "" : "s") and the interests inferred from them"
        return page.render(
            "privacy-delete", title: "Delete my data", area: .privacy, request: request, values: ["what": what],
            signedIn: true, notice: problem, status: problem == nil ? .ok : .badRequest)
    }

    func delete(_ request: Request) async throws -> Response {
        let token = try person(request)
        let form = try await WebForm.read(request, area: .privacy, tokens: state.engine.formTokens)
        guard form["confirm"]?.trimmingCharacters(in: .whitespaces).lowercased() == "delete" else {
            return try confirmDeletion(request, problem: "Nothing was deleted: type the word delete in the box to confirm.")
        }
        let engine = state.engine, trainer = state.trainer, actor = "person-token:" + token.keyID
        let result = try await BlockingWork.run(timeout: RightsRoutes.rightsTimeout) { () throws -> ErasureResult in
            let result = try SubjectRights(engine: engine).erase(pseudonym: token.subject, actor: actor)
            _ = try trainer.refreshModel()
            return result
        }
        state.cache?.forget(token.subject)
        let model =
            result.model.userVectorsDropped > 0 || result.model.itemsResolved > 0
            ? "you were removed from it (\(result.model.itemsResolved) item\(result.model.itemsResolved == 1 ? "" : "s") solved again without you)"
            : "it held nothing of yours"
        return page.render(
            "privacy-receipt", title: "Your data is deleted", area: .privacy, request: request,
            values: [
                "requestID": result.requestID, "completed": PrivacyCenterView.time(Int64(Date().timeIntervalSince1970)),
                "interactions": result.removed.interactions, "consentRecords": result.removed.consentRecords,
                "keyShredded": result.keyShredded ? "destroyed: sealed copies and backups can no longer be read" : "there was none",
                "model": model, "contact": engine.policy.contact
            ], cookies: [WebSecurity.expired(WebSecurity.personCookie, path: "/privacy")])
    }

    func policy(_ request: Request) throws -> Response {
        let history = try state.engine.policyHistory.versions()
        let signedIn = (try? person(request)) != nil
        return page.render(
            "privacy-policy", title: "Privacy policy", area: .privacy, request: request,
            values: ["policy": PolicyPage.body(state.engine.policy, mode: state.engine.configuration.consentMode, history: history)],
            currentPath: "/privacy/policy", signedIn: signedIn)
    }

    /// A page that shows the person's data is a read of it: recorded in the audit log like the API's reads.
    func audit(_ token: PersonToken, action: String) {
        state.audit.record(
            AuditRecorder.Read(
                at: Int64(Date().timeIntervalSince1970), actor: "person-token:" + token.keyID, action: action,
                subject: token.subject, purpose: .essential, status: 200))
    }
}
