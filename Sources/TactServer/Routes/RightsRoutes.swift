import Foundation
import Hummingbird
import TactCore
import TactEngine
import TactStore

/// The data-subject rights: export, erasure, rectification, restriction, objection, and the requests
/// they leave. Each route takes the `subjects` scope or the person's own token.
struct RightsRoutes {
    let state: ServerState
    /// Erasure, rectification and restriction patch the model and may take seconds on a large one;
    /// they are not cut short by the ordinary request deadline.
    static let rightsTimeout = 120.0

    struct ErasureJSON: Encodable {
        var request: Int64
        var found: Bool
        var interactionsRemoved: Int
        var consentRecordsRemoved: Int
        var keyShredded: Bool
        var userVectorsDropped: Int
        var itemsResolved: Int
        /// Models that wait for the scheduled retrain (item-kNN, popularity).
        var awaitingRetrain: [String]
        var modelVersion: Int
    }

    struct Rectification: Decodable {
        struct Correction: Decodable {
            var id: Int64
            var kind: String?
            var value: Double?
        }
        var delete: [Int64]?
        var corrections: [Correction]?
    }

    struct RectificationJSON: Encodable {
        var request: Int64
        var deleted: Int
        var corrected: Int
        var unknownIDs: [Int64]
        var itemsResolved: Int
    }

    struct RestrictionJSON: Encodable {
        var request: Int64
        var restricted: Bool
        var userVectorsDropped: Int
    }

    struct RequestJSON: Encodable {
        var id: Int64
        var kind: String
        var status: String
        var actor: String
        var receivedAt: Int64
        var verifiedAt: Int64?
        var completedAt: Int64?
        var dueAt: Int64
        var overdue: Bool
        var detail: String

        init(_ r: SubjectRequest, now: Int64) {
            id = r.id
            kind = r.kind.rawValue
            status = r.status.rawValue
            actor = r.actor
            receivedAt = r.receivedAt
            verifiedAt = r.verifiedAt
            completedAt = r.completedAt
            dueAt = r.dueAt
            overdue = r.completedAt == nil && now > r.dueAt
            detail = r.detail
        }
    }

    struct RequestList: Encodable { var requests: [RequestJSON] }

    func register(on router: Router<TactRequestContext>) {
        router.person(.get, "/v1/people/{person}/export", .export, .keyOrOwnToken(.subjects), state: state) { request, context in
            try await export(request, context)
        }
        router.person(.delete, "/v1/people/{person}", .erase, .keyOrOwnToken(.subjects), state: state) { _, context in try await erase(context) }
        router.person(.post, "/v1/people/{person}/rectification", .write(.essential), .keyOrOwnToken(.subjects), state: state) { request, context in
            try await rectify(request, context)
        }
        router.person(.put, "/v1/people/{person}/restriction", .write(.essential), .keyOrOwnToken(.subjects), state: state) { _, context in
            try await restrict(context, lift: false)
        }
        router.person(.delete, "/v1/people/{person}/restriction", .write(.essential), .keyOrOwnToken(.subjects), state: state) { _, context in
            try await restrict(context, lift: true)
        }
        router.person(.post, "/v1/people/{person}/objection", .write(.essential), .keyOrOwnToken(.subjects), state: state) { _, context in
            try await object(context)
        }
        router.person(.get, "/v1/people/{person}/requests", .read(.essential), .keyOrOwnToken(.subjects), state: state) { _, context in
            let (user, _, _) = try person(context)
            let now = Int64(Date().timeIntervalSince1970)
            return try JSONResponse.make(RequestList(requests: try SubjectRights(engine: state.engine).requests(user: user).map { RequestJSON($0, now: now) }))
        }
        router.route(.get, "/v1/requests", .key(.audit), state: state) { _, context in
            let now = Int64(Date().timeIntervalSince1970)
            return try JSONResponse.make(RequestList(requests: try SubjectRights(engine: state.engine).allRequests().map { RequestJSON($0, now: now) }))
        }
    }

    /// The person named in the path, the principal allowed to act for them, and its audit name.
    private func person(_ context: TactRequestContext) throws -> (user: String, pseudonym: Pseudonym, actor: String) {
        let person = try context.person(state.engine.pseudonymizer)
        let principal = try context.caller
        return (person.id, person.pseudonym, principal.auditActor)
    }

    func export(_ request: Request, _ context: TactRequestContext) async throws -> Response {
        let (user, _, actor) = try person(context)
        let format = request.uri.queryParameters.get("format") ?? "json"
        guard format == "json" || format == "csv" else { throw Problem.badRequest("format is 'json' (everything) or 'csv' (interactions)", field: "format") }
        let engine = state.engine
        let recommender = state.registry.current.recommender
        let document = try await BlockingWork.run(timeout: state.settings.requestTimeoutSeconds) {
            try SubjectExporter(engine: engine).export(user: user, actor: actor, recommender: recommender)
        }
        if format == "csv" {
            var headers = HTTPFields()
            headers[.contentType] = "text/csv; charset=utf-8"
            headers[.contentDisposition] = "attachment; filename=\"interactions.csv\""
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: document.interactionsCSV())))
        }
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try document.jsonData())))
    }

    func erase(_ context: TactRequestContext) async throws -> Response {
        let (user, pseudonym, actor) = try person(context)
        let (engine, trainer) = (state.engine, state.trainer)
        let result = try await BlockingWork.run(timeout: Self.rightsTimeout) { () throws -> ErasureResult in
            let result = try SubjectRights(engine: engine).erase(user: user, actor: actor)
            try trainer.refreshModel()
            return result
        }
        state.cache?.forget(pseudonym)
        return try JSONResponse.make(
            ErasureJSON(
                request: result.requestID, found: result.found, interactionsRemoved: result.removed.interactions,
                consentRecordsRemoved: result.removed.consentRecords, keyShredded: result.keyShredded,
                userVectorsDropped: result.model.userVectorsDropped, itemsResolved: result.model.itemsResolved,
                awaitingRetrain: result.model.awaitingRetrain, modelVersion: state.registry.current.version))
    }

    func rectify(_ request: Request, _ context: TactRequestContext) async throws -> Response {
        let (user, pseudonym, actor) = try person(context)
        let body = try await request.decodeJSON(Rectification.self, limit: 1024 * 1024)
        if body.delete?.isEmpty == true { throw Problem.badRequest("'delete' is empty; leave it out or name at least one interaction id", field: "delete") }
        if body.corrections?.isEmpty == true { throw Problem.badRequest("'corrections' is empty; leave it out or give at least one", field: "corrections") }
        var corrections: [InteractionCorrection] = []
        for (i, c) in (body.corrections ?? []).enumerated() {
            var kind: InteractionKind?
            if let name = c.kind {
                guard let k = InteractionKind(rawValue: name) else {
                    throw Problem.badRequest(
                        "unknown kind '\(name.prefix(40))'; use one of: \(InteractionKind.allCases.map(\.rawValue).joined(separator: ", "))",
                        field: "corrections[\(i)].kind")
                }
                kind = k
            }
            guard kind != nil || c.value != nil else {
                throw Problem.badRequest("a correction names a new kind, a new value, or both", field: "corrections[\(i)]")
            }
            if let v = c.value, !v.isFinite { throw Problem.badRequest("value must be a finite number", field: "corrections[\(i)].value") }
            corrections.append(InteractionCorrection(id: c.id, kind: kind, value: c.value))
        }
        let deletions = body.delete ?? []
        guard !deletions.isEmpty || !corrections.isEmpty else {
            throw Problem.badRequest("name interactions to 'delete' or 'corrections' to make", field: "delete")
        }
        let (engine, trainer, changes) = (state.engine, state.trainer, corrections)
        let result = try await BlockingWork.run(timeout: Self.rightsTimeout) { () throws -> RectificationResult in
            let result = try SubjectRights(engine: engine).rectify(user: user, delete: deletions, corrections: changes, actor: actor)
            try trainer.refreshModel()
            return result
        }
        state.cache?.forget(pseudonym)
        return try JSONResponse.make(
            RectificationJSON(
                request: result.requestID, deleted: result.deleted, corrected: result.corrected,
                unknownIDs: result.unknown, itemsResolved: result.model.itemsResolved))
    }

    func restrict(_ context: TactRequestContext, lift: Bool) async throws -> Response {
        let (user, pseudonym, actor) = try person(context)
        let (engine, trainer) = (state.engine, state.trainer)
        let result = try await BlockingWork.run(timeout: Self.rightsTimeout) { () throws -> RestrictionResult in
            let result = try SubjectRights(engine: engine).restrict(user: user, lift: lift, actor: actor)
            try trainer.refreshModel()
            return result
        }
        state.cache?.forget(pseudonym)
        return try JSONResponse.make(
            RestrictionJSON(request: result.requestID, restricted: result.restricted, userVectorsDropped: result.model.userVectorsDropped))
    }

    func object(_ context: TactRequestContext) async throws -> Response {
        let (user, pseudonym, actor) = try person(context)
        let engine = state.engine
        let consent = try await BlockingWork.run(timeout: state.settings.requestTimeoutSeconds) {
            try SubjectRights(engine: engine).object(user: user, actor: actor)
        }
        state.cache?.forget(pseudonym)
        return try JSONResponse.make(PersonRoutes(state: state).json(consent))
    }
}
