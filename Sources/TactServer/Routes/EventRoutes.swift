import Foundation
import Hummingbird
import TactCore
import TactEngine

/// `POST /v1/events`: a batch of events, consent-gated and stored in one transaction.
struct EventRoutes {
    let state: ServerState

    struct Batch: Decodable {
        var events: [Event]
    }

    struct Event: Decodable {
        var user: String
        var item: String
        var kind: String?
        var value: Double?
        var timestamp: Timestamp?
        var purpose: String?
        var context: String?
    }

    /// Seconds since 1970, or an ISO 8601 / RFC 3339 date.
    enum Timestamp: Decodable {
        case seconds(Int64)
        case text(String)

        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let n = try? c.decode(Int64.self) { self = .seconds(n); return }
            if let d = try? c.decode(Double.self), d.isFinite, abs(d) < 1e15 { self = .seconds(Int64(d)); return }
            guard let s = try? c.decode(String.self) else {
                throw DecodingError.typeMismatch(
                    String.self, .init(codingPath: decoder.codingPath, debugDescription: "expected seconds since 1970 or an ISO 8601 date"))
            }
            self = .text(s)
        }
    }

    struct Accepted: Encodable {
        var received: Int
        var accepted: Int
        var refused: Int
        /// Refused events per purpose (for want of consent).
        var refusedByPurpose: [String: Int]
        var newPeople: Int
        var newItems: Int
        var consentRecords: Int
    }

    func register(on router: Router<TactRequestContext>) {
        router.route(.post, "/v1/events", .key(.ingest), state: state) { request, context in try await ingest(request, context) }
    }

    func ingest(_ request: Request, _ context: TactRequestContext) async throws -> Response {
        let principal = try context.caller
        let batch = try await request.decodeJSON(Batch.self, limit: state.settings.maxBodyBytes)
        guard !batch.events.isEmpty else { throw Problem.badRequest("'events' is empty; send at least one event", field: "events") }
        guard batch.events.count <= state.settings.maxEventsPerRequest else {
            throw Problem.badRequest(
                "a request carries at most \(state.settings.maxEventsPerRequest) events; this one has \(batch.events.count)", field: "events")
        }
        let gpc = request.globalPrivacyControl
        let now = Int64(Date().timeIntervalSince1970)
        let incoming = try batch.events.enumerated().map { index, e in
            try Self.validate(e, at: index, now: now, gpc: gpc, purposes: state.settings.eventPurposes)
        }
        let options = IngestOptions(actor: principal.auditActor, source: "api")
        let engine = state.engine
        let report = try await BlockingWork.run(timeout: state.settings.requestTimeoutSeconds) {
            try Ingestor(engine: engine).ingest(incoming, options: options)
        }
        if report.newItems > 0 {
            // Events may name items the catalog did not have; the store added them bare, and so does the cache.
            let missing = Set(incoming.map(\.item).filter { state.catalog.item($0) == nil })
            let added = try engine.catalog.known(missing)
            for id in added { state.catalog.put(Item(id: id)) }
        }
        // Each person once, with their latest event: the answer cache forgets them, the Guard notes them as active.
        if state.cache != nil || state.settings.guardEnabled {
            var latest: [String: Int64] = [:]
            for e in incoming { latest[e.user] = max(latest[e.user] ?? .min, e.timestamp) }
            let people = latest.map { (pseudonym: engine.pseudonymizer.pseudonym(for: $0.key), at: $0.value) }
            if let cache = state.cache { for person in people { cache.forget(person.pseudonym) } }
            if state.settings.guardEnabled {
                state.guardian.noteEvents(principal: principal.auditActor, latest: people.map { ($0.pseudonym.hex, $0.at) }, now: now)
            }
        }
        state.metrics.eventsAccepted.increment(by: report.stored)
        state.metrics.eventsRefused.increment(by: report.refusedTotal)
        state.metrics.activity.recordEvents(accepted: report.stored, refused: report.refusedTotal)
        state.trainer.noteAccepted(events: report.stored)
        return try JSONResponse.make(
            Accepted(
                received: report.read, accepted: report.stored, refused: report.refusedTotal,
                refusedByPurpose: Dictionary(uniqueKeysWithValues: report.refused.map { ($0.key.rawValue, $0.value) }),
                newPeople: report.newSubjects, newItems: report.newItems, consentRecords: report.consentRecords))
    }

    /// One event checked field by field; the error names `events[i].field`.
    static func validate(_ e: Event, at i: Int, now: Int64, gpc: Bool, purposes: EventPurposePolicy = .standard) throws -> IncomingInteraction {
        func field(_ name: String) -> String { "events[\(i)].\(name)" }
        guard !e.user.isEmpty, e.user.unicodeScalars.count <= 256 else {
            throw Problem.badRequest("a user id must be 1 to 256 characters long", field: field("user"))
        }
        guard !e.item.isEmpty, e.item.unicodeScalars.count <= 256 else {
            throw Problem.badRequest("an item id must be 1 to 256 characters long", field: field("item"))
        }
        if Identifier.containsControl(e.user) { throw Problem.badRequest("a user id must not contain control characters", field: field("user")) }
        if Identifier.containsControl(e.item) { throw Problem.badRequest("an item id must not contain control characters", field: field("item")) }
        var kind = InteractionKind.view
        if let name = e.kind {
            guard let k = InteractionKind(rawValue: name) else {
                throw Problem.badRequest(
                    "unknown kind '\(name.prefix(40))'; use one of: \(InteractionKind.allCases.map(\.rawValue).joined(separator: ", "))", field: field("kind"))
            }
            kind = k
        }
        if let v = e.value, !v.isFinite || abs(v) > 1e9 {
            throw Problem.badRequest("value must be a finite number no larger than 1e9 in size", field: field("value"))
        }
        var timestamp = now
        switch e.timestamp {
        case .none: break
        case .seconds(let s):
            guard (TimestampParser.minimum...TimestampParser.maximum).contains(s) else {
                throw Problem.badRequest("timestamp is out of range", field: field("timestamp"))
            }
            timestamp = s
        case .text(let text):
            switch TimestampParser.parse(text) {
            case .success(let s): timestamp = s
            case .failure(let error): throw Problem.badRequest("timestamp: \(error.message)", field: field("timestamp"))
            }
        }
        var purpose: Purpose?
        if let name = e.purpose {
            guard let p = Purpose(rawValue: name) else {
                throw Problem.badRequest("unknown purpose '\(name.prefix(40))'; use one of: \(Purpose.names)", field: field("purpose"))
            }
            guard purposes.permits(p, kind: kind) else {
                throw Problem(
                    status: .forbidden, type: "forbidden", title: "Not allowed",
                    detail:
                        "events of kind '\(kind.rawValue)' may not claim the purpose '\(p.rawValue)' on this server: which purposes an event serves is the operator's decision ('tact serve --event-purpose \(kind.rawValue)=\(p.rawValue)' allows it)",
                    field: field("purpose"))
            }
            purpose = p
        }
        if let c = e.context, c.unicodeScalars.count > 2_000 { throw Problem.badRequest("context is longer than 2000 characters", field: field("context")) }
        return IncomingInteraction(
            user: e.user, item: e.item, kind: kind, value: e.value, timestamp: timestamp,
            context: e.context, purpose: purpose, globalPrivacyControl: gpc)
    }
}
