import Foundation
import Hummingbird
import TactCore
import TactEngine
import TactGuard
import TactStore

/// Keys, the model in service and the audit log.
struct AdminRoutes {
    let state: ServerState

    struct KeyJSON: Encodable {
        var id: String
        var name: String
        var scopes: [String]
        /// "app", "batch 02-05"; absent for a key made before keys had roles.
        var role: String?
        var createdAt: Int64
        var revokedAt: Int64?
        /// The key itself: only in the answer that creates it.
        var key: String?

        init(_ r: APIKeyRecord, key: String? = nil) {
            id = r.id
            name = r.name
            scopes = r.scopes
            role = r.role.isEmpty ? nil : r.role
            createdAt = r.createdAt
            revokedAt = r.revokedAt
            self.key = key
        }
    }

    struct KeyList: Encodable { var keys: [KeyJSON] }

    struct NewKey: Decodable {
        var name: String
        var scopes: [String]
        var role: String?
        var hours: String?
    }

    struct ModelState: Encodable {
        var version: Int
        var algorithm: String
        var trainedAt: Int64
        var ageSeconds: Double
        var items: Int
        var eventsSinceTraining: Int
    }

    struct AuditJSON: Encodable {
        var at: Int64
        var actor: String
        var action: String
        /// The person's audit handle in hex (32 digits): random, never their pseudonym or id; unlinked once they are erased.
        var subject: String?
        var purpose: String?
        var detail: String
    }

    struct AuditList: Encodable { var entries: [AuditJSON] }

    struct PrivacyBudgetJSON: Encodable {
        struct Release: Encodable {
            var release: String
            var mechanism: String
            var epsilon: Double
            var delta: Double
            var recordedAt: Int64
        }
        struct Dataset: Encodable {
            var dataset: String
            var spentEpsilon: Double
            var spentDelta: Double
            var remainingEpsilon: Double
            var remainingDelta: Double
            var releases: [Release]
        }
        var epsilon: Double
        var delta: Double
        var datasets: [Dataset]
    }

    func register(on router: Router<TactRequestContext>) {
        router.route(.get, "/v1/keys", .key(.admin), state: state) { _, context in
            return try JSONResponse.make(KeyList(keys: try APIKeyService(engine: state.engine).list().map { KeyJSON($0) }))
        }
        router.route(.post, "/v1/keys", .key(.admin), state: state) { request, context in try await createKey(request, context) }
        router.route(.delete, "/v1/keys/{id}", .key(.admin), state: state) { _, context in
            let principal = try context.caller
            let id = try context.pathValue("id")
            let service = APIKeyService(engine: state.engine)
            guard try service.list().contains(where: { $0.id == id }) else { throw Problem.notFound("no API key '\(id.prefix(40))'", field: "id") }
            let record = try service.revoke(id: id, actor: principal.auditActor)
            state.keys.invalidate()
            return try JSONResponse.make(KeyJSON(record))
        }
        router.route(.get, "/v1/model", .key([.admin, .recommend]), state: state) { _, context in
            return try JSONResponse.make(modelState())
        }
        router.route(.post, "/v1/model/retrain", .key(.admin), state: state) { _, context in
            guard try await state.trainer.retrain() != nil else {
                throw Problem(
                    status: .conflict, type: "training-running", title: "Training already running",
                    detail: "a retraining is already running; the new model will be served when it ends")
            }
            return try JSONResponse.make(modelState())
        }
        router.route(.get, "/v1/privacy/budget", .key(.audit), state: state) { _, context in
            let ledger = PrivacyLedger(engine: state.engine)
            let states = try ledger.state()
            return try JSONResponse.make(
                PrivacyBudgetJSON(
                    epsilon: ledger.budget.epsilon, delta: ledger.budget.delta,
                    datasets: states.map { s in
                        .init(
                            dataset: s.dataset, spentEpsilon: s.spentEpsilon, spentDelta: s.spentDelta, remainingEpsilon: s.remainingEpsilon,
                            remainingDelta: s.remainingDelta,
                            releases: s.releases.map {
                                .init(release: $0.release, mechanism: $0.mechanism, epsilon: $0.epsilon, delta: $0.delta, recordedAt: $0.recordedAt)
                            })
                    }))
        }
        router.route(.get, "/v1/audit", .key(.audit), state: state) { request, context in
            let limit = try request.queryInt("limit", default: 100, range: 1...10_000)
            let entries = try state.engine.audit.recentEntries(limit: limit)
            return try JSONResponse.make(
                AuditList(
                    entries: entries.map { e in
                        AuditJSON(
                            at: e.at, actor: e.actor, action: e.action, subject: e.subjectHandle.map { Hex.encode($0) },
                            purpose: e.purpose?.rawValue, detail: e.detail)
                    }))
        }
    }

    func createKey(_ request: Request, _ context: TactRequestContext) async throws -> Response {
        let principal = try context.caller
        let body = try await request.decodeJSON(NewKey.self, limit: 64 * 1024)
        var scopes: Set<Scope> = []
        for (i, name) in body.scopes.enumerated() {
            guard let scope = Scope(rawValue: name) else {
                throw Problem.badRequest(
                    "unknown scope '\(name.prefix(40))'; use: \(Scope.allCases.map(\.rawValue).joined(separator: ", "))", field: "scopes[\(i)]")
            }
            scopes.insert(scope)
        }
        guard !scopes.isEmpty else { throw Problem.badRequest("a key needs at least one scope", field: "scopes") }
        let role: RoleAssignment
        do {
            role = try APIKeyService.parseRole(body.role, hours: body.hours, scopes: scopes)
        } catch EngineError.invalidArgument(let message) {
            throw Problem.badRequest(message, field: body.role.map { KeyRole(rawValue: $0) == nil } ?? false ? "role" : "hours")
        }
        let (record, key) = try APIKeyService(engine: state.engine).create(name: body.name, scopes: scopes, role: role, actor: principal.auditActor)
        return try JSONResponse.make(KeyJSON(record, key: key), status: .created)
    }

    func modelState() -> ModelState {
        let model = state.registry.current
        return ModelState(
            version: model.version, algorithm: model.algorithm, trainedAt: model.trainedAt,
            ageSeconds: Date().timeIntervalSince1970 - Double(model.trainedAt),
            items: model.recommender?.items.count ?? model.popularity.items.count,
            eventsSinceTraining: state.trainer.eventsSinceTraining)
    }
}
