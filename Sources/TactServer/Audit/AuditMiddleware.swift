import Foundation
import Hummingbird
import TactCore
import TactGuard
import TactPrivacy

/// Records every authenticated request to one route that processes a person's data in the audit log
/// (through the batching `AuditRecorder`), and shows it to the Guard: who (the principal's audit actor),
/// what (method, route template and the person's pseudonym), the purpose, the status and when. Requests
/// refused after authentication (403) are recorded too: they are attempts to reach a person's data.
///
/// One instance wraps one route (`Router.person(_:_:_:_:state:use:)`), so it runs only once the router has
/// matched that route: the person is the matched `{person}` parameter and the purpose and kind are the
/// route's declaration. Nothing here reads the raw path.
struct AuditMiddleware: RouterMiddleware {
    typealias Context = TactRequestContext
    /// "METHOD template", e.g. "GET /v1/people/{person}/recommendations".
    let action: String
    let access: PersonalAccess
    let recorder: AuditRecorder
    let pseudonymizer: Pseudonymizer
    /// The Guard, when it watches: it sees every access this middleware records.
    let guardian: GuardService?
    /// The time each access is recorded at (`ServerSettings.clock`).
    let clock: @Sendable () -> Int64

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        // The one place the path's person is pseudonymized; a person id that is no valid identifier is
        // refused by the route before anything is read.
        if let id = try? context.pathValue("person") { context.person = PersonInPath(id: id, pseudonym: pseudonymizer.pseudonym(for: id)) }
        let response: Response
        do {
            response = try await next(request, context)
        } catch {
            note(context, status: (error as? Problem)?.status ?? (error as? any HTTPResponseError)?.status.code ?? 500)
            throw error
        }
        note(context, status: response.status.code)
        return response
    }

    private func note(_ context: Context, status: Int) {
        // A request without credentials reached nothing; one whose person is not a valid identifier was refused
        // before anything was read.
        guard let principal = context.principal, !access.auditsItself, let subject = context.person?.pseudonym else { return }
        let at = clock()
        recorder.record(
            AuditRecorder.Read(
                at: at, actor: principal.auditActor, action: action,
                subject: subject, purpose: access.purpose, status: status))
        guardian?.observe(
            AccessEvent(
                at: at, principal: principal.auditActor, person: subject.hex, route: action,
                kind: access.kind, status: status, role: principal.role),
            personID: context.person?.id)
    }
}
