import Foundation
import HTTPTypes
import Hummingbird
import Logging
import TactEngine

/// Renders the web pages: a template with the layout, the security headers, the form cookie and the
/// form token every form carries. Errors become an HTML page with the right 4xx status, never a 500
/// for bad input.
struct WebPage {
    let state: ServerState

    /// Which part of the site a page belongs to: its navigation and where an error page points.
    enum Area {
        case privacy, console

        var home: (href: String, label: String) {
            switch self {
            case .privacy: ("/privacy", "Back to your privacy center")
            case .console: ("/console", "Back to the console")
            }
        }
    }

    /// What the page's form token is bound to (`WebSecurity.formBinding`), and the form cookie to set with the
    /// page when the browser has none yet.
    func formBinding(_ request: Request, area: Area) -> (binding: String, setCookie: String?) {
        let (binding, fresh) = WebSecurity.formBinding(of: request, area: area)
        return (binding, fresh.map { WebSecurity.cookie(WebSecurity.formCookie, $0, maxAge: nil, sameSite: "Strict") })
    }

    func render(
        _ template: String, title: String, area: Area, request: Request, values: [String: Any] = [:],
        currentPath: String? = nil, signedIn: Bool = false, notice: String? = nil,
        status: HTTPResponse.Status = .ok, cookies: [String] = []
    ) -> Response {
        let (binding, setForm) = formBinding(request, area: area)
        var context = values
        context["title"] = title
        context["site"] = area == .privacy ? state.engine.policy.controller : "Tact console"
        context["csrf"] = state.engine.formTokens.token(for: binding)
        context["notice"] = notice
        context["nav"] = navigation(area, current: currentPath, signedIn: signedIn)
        if signedIn { context["signOut"] = area == .privacy ? "/privacy/signout" : "/console/signout" }
        context["footer"] =
            area == .privacy
            ? "Policy version \(state.engine.policy.version). Questions: \(state.engine.policy.contact). Your id is replaced by a keyed pseudonym before anything is stored."
            : "Tact · database \(state.engine.directory.databaseDescription) · the console acts with your key: revoking or suspending it ends this session."
        let html = WebTemplates.library.render(context, withTemplate: template) ?? "template \(template) is missing"
        var headers = WebSecurity.pageHeaders()
        for cookie in cookies + (setForm.map { [$0] } ?? []) { headers.append(HTTPField(name: .setCookie, value: cookie)) }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    func navigation(_ area: Area, current: String?, signedIn: Bool) -> [[String: Any]] {
        let links: [(String, String)]
        switch area {
        case .privacy: links = signedIn ? [("/privacy", "Overview"), ("/privacy/policy", "Privacy policy")] : [("/privacy/policy", "Privacy policy")]
        case .console:
            links =
                signedIn
                ? [
                    ("/console", "Models and traffic"), ("/console/privacy", "Consent, budget, requests"),
                    ("/console/security", "Audit and Guard")
                ] : []
        }
        return links.map { ["href": $0.0, "label": $0.1, "current": $0.0 == current] }
    }

    /// A redirect after a form (303, so a reload does not send it again).
    func redirect(to location: String, cookies: [String] = []) -> Response {
        var headers = WebSecurity.pageHeaders()
        headers[.location] = location
        for cookie in cookies { headers.append(HTTPField(name: .setCookie, value: cookie)) }
        return Response(status: .seeOther, headers: headers)
    }

    /// Runs a page's work; any error becomes an HTML page with the problem's status and what to do.
    func guarded(_ request: Request, _ context: TactRequestContext, area: Area, _ body: () async throws -> Response) async -> Response {
        do {
            return try await body()
        } catch {
            let problem = Problem.from(error, request: request)
            if problem.status >= 500 {
                context.logger.error(
                    "web page failed", metadata: ["route": "\(request.uri.path.prefix(40))", "error": "\(String(describing: error).prefix(300))"])
            }
            let heading: String
            switch problem.status {
            case 401: heading = "Please sign in"
            case 403: heading = "Not allowed"
            case 404: heading = "Not found"
            case 429: heading = "Too many requests"
            case 400..<500: heading = "That did not work"
            default: heading = "Something went wrong on our side"
            }
            let detail =
                problem.status >= 500 ? "The server could not finish this (request \(context.requestID)); please try again in a moment." : problem.detail
            let next: [String: Any] =
                problem.status == 401 && area == .console
                ? ["href": "/console/signin", "label": "Sign in to the console"] : ["href": area.home.href, "label": area.home.label]
            var cookies: [String] = []
            if problem.status == 401 {
                cookies.append(
                    area == .privacy
                        ? WebSecurity.expired(WebSecurity.personCookie, path: "/privacy")
                        : WebSecurity.expired(WebSecurity.operatorCookie, path: "/console"))
            }
            var response = render(
                "error", title: heading, area: area, request: request,
                values: ["heading": heading, "detail": detail, "next": next],
                status: .init(code: problem.status), cookies: cookies)
            if let retry = problem.retryAfter { response.headers[.retryAfter] = String(retry) }
            return response
        }
    }
}
