import Foundation
import Hummingbird
import TactGuard
import TactCore
import TactPrivacy

/// Records every authenticated request to a route under /v1/people/{person}/ in the audit log (through the
/// batching `AuditRecorder`): who (the principal's audit actor), what (method, route template and the person's
/// pseudonym), the purpose, the status and when. Requests refused after authentication (403) are recorded
/// too: they are attempts to reach a person's data. Routes that audit their own writes in the same
/// transaction are left out.
struct AuditMiddleware: RouterMiddleware {
    typealias Context = TactRequestContext
    let recorder: AuditRecorder
    let pseudonymizer: Pseudonymizer
    /// The Guard, when it watches: it sees every access this middleware records.
    let guardian: GuardService?

    /// Routes whose writes are audited inside their own transaction (consent changes): not recorded again.
    static let selfAudited: Set<String> = ["POST /v1/people/{person}/consent"]
    static let personPrefix = "/v1/people/{person}/"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let response: Response
        do {
            response = try await next(request, context)
        } catch {
            note(request, context, status: (error as? Problem)?.status ?? (error as? any HTTPResponseError)?.status.code ?? 500)
            throw error
        }
        note(request, context, status: response.status.code)
        return response
    }

    private func note(_ request: Request, _ context: Context, status: Int) {
        guard let principal = context.principal, let raw = context.endpointPath else { return }
        let template = Self.normalised(raw)
        guard template.hasPrefix(Self.personPrefix) else { return }
        let action = "\(request.method.rawValue) \(template)"
        guard !Self.selfAudited.contains(action), let person = Self.person(in: request.uri.path) else { return }
        let at = Int64(Date().timeIntervalSince1970), subject = pseudonymizer.pseudonym(for: person)
        recorder.record(AuditRecorder.Read(at: at, actor: principal.auditActor, action: action,
                                           subject: subject, purpose: Self.purpose(of: template), status: status))
        guardian?.observe(AccessEvent(at: at, principal: principal.auditActor, person: subject.hex, route: action,
                                      kind: Self.kind(of: action), status: status))
    }

    /// What kind of access a route is, for the Guard.
    static func kind(of action: String) -> AccessEvent.Kind {
        if action.hasSuffix("/export") { return .export }
        if action.hasPrefix("DELETE ") { return .erase }
        if action.hasPrefix("GET ") { return .read }
        return .write
    }

    /// Why the route processes the person's data.
    static func purpose(of template: String) -> Purpose {
        if template.hasSuffix("/recommendations") || template.hasSuffix("/playlist") { return .personalization }
        if template.hasSuffix("/placements") || template.hasSuffix("/ads") { return .advertising }
        return .essential  // consent and the person's own rights
    }

    /// The `{person}` segment of a request path under /v1/people/, decoded as the routes decode it.
    static func person(in path: String) -> String? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count > 3, parts[1] == "v1", parts[2] == "people" else { return nil }
        let raw = String(parts[3])
        let value = raw.utf8.contains(UInt8(ascii: "%")) ? (raw.removingPercentEncoding ?? raw) : raw
        return value.isEmpty ? nil : value
    }

    /// A route template with parameters as `{name}`, whichever way the router wrote them.
    static func normalised(_ template: String) -> String {
        guard template.contains(":") else { return template }
        return template.split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
    }
}
