import Foundation
import Hummingbird
import TactCore
import TactEngine
import TactPrivacy

/// A person's consent (read, grant, refuse, withdraw) and person tokens.
struct PersonRoutes {
    let state: ServerState

    struct PurposeState: Encodable {
        var purpose: String
        /// Whether processing for this purpose is permitted now (the decision, or the consent mode's default).
        var permitted: Bool
        /// The latest decision: "grant" or "deny"; absent when the person has said nothing.
        var decision: String?
        /// Who made it: person, operator, import, gpc.
        var source: String?
        var recordedAt: Int64?
    }

    struct ConsentJSON: Encodable {
        /// opt-in (GDPR) or opt-out (CCPA).
        var mode: String
        var policyVersion: String
        var purposes: [PurposeState]
    }

    /// Decisions to record, by purpose name: "grant", "refuse" or "withdraw".
    struct ConsentChange: Decodable {
        var decisions: [String: String]
        /// "person" (default) or "operator" (acting on the person's documented request).
        var source: String?
    }

    struct TokenJSON: Encodable {
        var token: String
        var expiresAt: Int64
    }

    func register(on router: Router<TactRequestContext>) {
        router.person(.get, "/v1/people/{person}/consent", .read(.essential), .keyOrOwnToken(.subjects), state: state) { request, context in
            try await state.storeWork { try read(request, context) }
        }
        router.person(
            .post, "/v1/people/{person}/consent", PersonalAccess(purpose: .essential, kind: .write, auditsItself: true), .keyOrOwnToken(.subjects), state: state
        ) { request, context in try await change(request, context) }
        router.person(.post, "/v1/people/{person}/tokens", .write(.essential), .key(.subjects), state: state) { request, context in
            try await issueToken(request, context)
        }
    }

    func read(_ request: Request, _ context: TactRequestContext) throws -> Response {
        let pseudonym = try context.person(state.engine.pseudonymizer).pseudonym
        let principal = try context.caller
        try state.honourGlobalPrivacyControl(request, for: pseudonym, actor: principal.auditActor)
        guard let consent = try ConsentService(engine: state.engine).current(pseudonym: pseudonym) else {
            throw Problem.notFound(
                "nothing is stored for this person; the consent mode's defaults apply (\(state.engine.configuration.consentMode.rawValue))", field: "person")
        }
        return try JSONResponse.make(json(consent))
    }

    func change(_ request: Request, _ context: TactRequestContext) async throws -> Response {
        let person = try context.person(state.engine.pseudonymizer)
        let (user, pseudonym) = (person.id, person.pseudonym)
        let principal = try context.caller
        let body = try await request.decodeJSON(ConsentChange.self, limit: 64 * 1024)
        guard !body.decisions.isEmpty else { throw Problem.badRequest("'decisions' is empty; name at least one purpose", field: "decisions") }
        var source = ConsentSource.person
        switch body.source {
        case nil, "person": source = .person
        case "operator":
            guard case .key = principal else { throw Problem.forbidden("a person token records the person's own decisions; source must be 'person'") }
            source = .operatorRequest
        default: throw Problem.badRequest("source must be 'person' or 'operator'", field: "source")
        }
        var changes: [(Purpose, ConsentDecision, String)] = []
        for name in body.decisions.keys.sorted() {
            guard let purpose = Purpose(rawValue: name) else {
                throw Problem.badRequest("unknown purpose '\(name.prefix(40))'; use one of: \(Purpose.names)", field: "decisions.\(name.prefix(40))")
            }
            switch body.decisions[name]! {
            case "grant": changes.append((purpose, .grant, "granted"))
            case "refuse": changes.append((purpose, .deny, "refused"))
            case "withdraw": changes.append((purpose, .deny, "withdrawn"))
            default: throw Problem.badRequest("a decision is 'grant', 'refuse' or 'withdraw'", field: "decisions.\(name)")
            }
        }
        let service = ConsentService(engine: state.engine)
        let (decided, recordedSource) = (changes, source)
        let actor = principal.auditActor
        let gpc = request.globalPrivacyControl
        let trainer = state.trainer
        let result = try await BlockingWork.run(timeout: state.settings.requestTimeoutSeconds) { () throws -> ConsentState in
            var state = ConsentState()
            for (purpose, decision, note) in decided {
                if purpose == .modelTraining, decision == .deny {
                    // Model training refused: the person's contribution leaves the models at once, as in erasure.
                    state = try SubjectRights(engine: service.engine).withdraw(user: user, purposes: [purpose], source: recordedSource, actor: actor).consent
                    try trainer.refreshModel()
                } else {
                    state = try service.record(user: user, purposes: [purpose], decision: decision, source: recordedSource, note: note, actor: actor)
                }
            }
            if gpc {
                try service.applyGlobalPrivacyControl(pseudonym: pseudonym, actor: actor)
                state = try service.current(pseudonym: pseudonym) ?? state
            }
            return state
        }
        state.cache?.forget(pseudonym)
        return try JSONResponse.make(json(result))
    }

    func issueToken(_ request: Request, _ context: TactRequestContext) async throws -> Response {
        let principal = try context.caller
        guard case .key(let record, _) = principal else { throw Problem.forbidden("only an API key issues person tokens") }
        let subject = try context.person(state.engine.pseudonymizer).pseudonym
        let ttl = Int64(try request.queryInt("ttlSeconds", default: Int(state.settings.personTokenSeconds), range: 60...86_400))
        let now = Int64(Date().timeIntervalSince1970)
        let token = PersonToken(subject: subject, keyID: record.id, issuedAt: now, expiresAt: now + ttl)
        return try JSONResponse.make(TokenJSON(token: state.engine.personTokens.sign(token), expiresAt: token.expiresAt), status: .created)
    }

    func json(_ consent: ConsentState) -> ConsentJSON {
        let gate = state.engine.gate
        return ConsentJSON(
            mode: state.engine.configuration.consentMode.rawValue, policyVersion: state.engine.policy.version,
            purposes: Purpose.allCases.map { p in
                let entry = consent[p]
                return PurposeState(
                    purpose: p.rawValue, permitted: gate.permits(p, state: consent), decision: entry?.decision.rawValue,
                    source: entry?.source.rawValue, recordedAt: entry?.recordedAt)
            })
    }
}
