import Foundation
import TactCore
import TactPrivacy
import TactStore

/// The data-subject rights, each tracked as a request (received, verified, completed, with its legal
/// deadline) under a reference that is not the person's pseudonym:
/// erasure, rectification, restriction, objection and withdrawal. Access is `SubjectExporter`.
///
/// Whatever changes what models may hold runs under the model folder's lock, so a retraining that
/// read the data before the change can neither be saved after it nor escape the patch.
public struct SubjectRights: Sendable {
    public let engine: Engine
    /// The clock, in seconds since 1970; tests inject one.
    public let now: @Sendable () -> Int64

    public init(engine: Engine, now: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }) {
        self.engine = engine
        self.now = now
    }

    /// Seconds allowed to answer: one month under the GDPR (opt-in installations), 45 days under the CCPA.
    public var deadlineSeconds: Int64 {
        engine.configuration.consentMode == .optIn ? 30 * 86_400 : 45 * 86_400
    }

    // MARK: Requests

    /// Records a request as received and verified by `actor` (an API key, the person's own token, or
    /// the operator at the command line); returns its id.
    func open(_ kind: SubjectRequest.Kind, for subject: Pseudonym, actor: String, at: Int64) throws -> Int64 {
        let request = verifiedRequest(kind, for: subject, actor: actor, at: at)
        return try engine.store.write { w in try w.insertSubjectRequest(request) }
    }

    private func verifiedRequest(_ kind: SubjectRequest.Kind, for subject: Pseudonym, actor: String, at: Int64) -> SubjectRequest {
        SubjectRequest(
            kind: kind, reference: engine.requestReferences.reference(for: subject), actor: actor,
            receivedAt: at, verifiedAt: at, dueAt: at + deadlineSeconds, status: .verified)
    }

    /// Runs the work of request `id`; if it fails, the request is recorded as refused (with the kind of
    /// failure, never personal data) before the error goes on.
    func tracking<T>(_ id: Int64, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            let at = now()
            try? engine.store.write { w in
                try w.updateSubjectRequest(
                    id: id, status: .refused, verifiedAt: nil, completedAt: at, detail: "failed: \(String(describing: error).prefix(200))")
            }
            throw error
        }
    }

    /// The person's requests, oldest first.
    public func requests(user: String) throws -> [SubjectRequest] {
        try requests(pseudonym: engine.pseudonymizer.pseudonym(for: user))
    }

    public func requests(pseudonym: Pseudonym) throws -> [SubjectRequest] {
        let reference = engine.requestReferences.reference(for: pseudonym)
        return try engine.store.read { r in try r.subjectRequests(reference: reference) }
    }

    /// Every request, oldest first: the list for auditors.
    public func allRequests() throws -> [SubjectRequest] {
        try engine.store.read { r in try r.subjectRequests(reference: nil) }
    }

    // MARK: Erasure

    /// Erases everything held about the person: interactions, consent records and the subject (only
    /// the request record stays, as the tombstone); their key is shredded, so sealed copies and backups
    /// are unreadable; their user vector is dropped and the items they touched are solved again.
    public func erase(user: String, actor: String) throws -> ErasureResult {
        try erase(pseudonym: engine.pseudonymizer.pseudonym(for: user), actor: actor)
    }

    /// `erase(user:…)` for a person known only by their pseudonym (a person token's holder).
    ///
    /// The request is recorded, with the person it removes, under the model lock before any step runs, and
    /// every step can run again. So if the process stops between steps (`CrashPoint`), whoever opens the data
    /// directory next finds the request under way and finishes it (`finishInterruptedErasures`).
    public func erase(pseudonym: Pseudonym, actor: String) throws -> ErasureResult {
        let started = Date()
        let at = now()
        var result = ErasureResult(requestID: 0)
        try ModelArtifacts(engine: engine).withLock {
            let request = verifiedRequest(.erasure, for: pseudonym, actor: actor, at: at)
            let id = try engine.store.write { w in
                let id = try w.insertSubjectRequest(request)
                try w.markErasureUnderWay(id: id, subject: pseudonym)
                return id
            }
            CrashPoint.erasureRecorded.reach()
            result = try tracking(id) { try performErasure(id, of: pseudonym, actor: actor, at: at) }
        }
        result.seconds = Date().timeIntervalSince(started)
        engine.logger.info(
            "erased a person",
            metadata: [
                "request": "\(result.requestID)", "interactions": "\(result.removed.interactions)",
                "items_resolved": "\(result.model.itemsResolved)", "seconds": "\(result.seconds)"
            ])
        return result
    }

    /// Finishes every erasure that a process which stopped left under way, oldest first, by running all its
    /// steps again; returns what each removed. `DataDirectory.open` calls it, so the next command or server
    /// to open the data directory finishes them before it reads anything.
    @discardableResult
    public func finishInterruptedErasures() throws -> [ErasureResult] {
        // Without the lock first, so that an open with nothing to finish costs one query.
        guard try !engine.store.read({ try $0.interruptedErasures() }).isEmpty else { return [] }
        return try ModelArtifacts(engine: engine).withLock {
            // Again under the lock: an erasure still under way now has no process working on it.
            try engine.store.read { try $0.interruptedErasures() }.map { erasure in
                let result = try tracking(erasure.id) { try performErasure(erasure.id, of: erasure.subject, actor: erasure.actor, at: now()) }
                engine.logger.warning(
                    "finished an erasure that a stopped process left under way",
                    metadata: ["request": "\(erasure.id)", "interactions": "\(result.removed.interactions)", "key_shredded": "\(result.keyShredded)"])
                return result
            }
        }
    }

    /// The steps of erasure request `id`, in order; the caller holds the model lock. Each can run again after a
    /// stop at any point: the model patch drops a vector only if it is there, shredding an absent key does
    /// nothing, and the store's removal and the request's completion are one transaction.
    private func performErasure(_ id: Int64, of pseudonym: Pseudonym, actor: String, at: Int64) throws -> ErasureResult {
        var result = ErasureResult(requestID: id)
        let held = try touchedItems(pseudonym)
        result.found = held != nil
        let touched = held ?? []
        // The model first: if it cannot be patched, nothing is lost and the request can be retried.
        result.model = try ModelPatcher(engine: engine).remove(subjects: [pseudonym], touching: touched)
        CrashPoint.erasureModelPatched.reach()
        result.keyShredded = try engine.vault.shred(pseudonym)
        CrashPoint.erasureKeyShredded.reach()
        result.items = touched.count
        try engine.store.write { w in
            if let row = try w.subjectRow(for: pseudonym) {
                result.found = true
                try w.appendAudit(AuditEntry(at: at, actor: actor, action: "subject.erase", subject: pseudonym, detail: "request=\(id)"))
                result.removed = try w.eraseSubject(row)
            }
            try w.updateSubjectRequest(id: id, status: .completed, verifiedAt: nil, completedAt: at, detail: result.detail)
        }
        CrashPoint.erasureStored.reach()
        return result
    }

    // MARK: Rectification

    /// Deletes or corrects the person's interactions named by id (as the export lists them); the items
    /// concerned are solved again in the saved model. Unknown ids are reported, not guessed at.
    public func rectify(user: String, delete: [Int64], corrections: [InteractionCorrection], actor: String) throws -> RectificationResult {
        let pseudonym = engine.pseudonymizer.pseudonym(for: user)
        let at = now()
        guard try engine.store.read({ r in try r.subjectRow(for: pseudonym) }) != nil else { throw EngineError.unknownSubject }
        let id = try open(.rectification, for: pseudonym, actor: actor, at: at)
        var result = RectificationResult(requestID: id)
        try tracking(id) {
            try ModelArtifacts(engine: engine).withLock {
                var touched: Set<String> = []
                try engine.store.write { w in
                    // Allowed while restricted: restriction is often asked for while accuracy is contested (Art. 18(1)(a)).
                    guard let row = try w.subjectRow(for: pseudonym) else { throw EngineError.unknownSubject }
                    var byID: [Int64: StoredInteraction] = [:]
                    for e in try w.interactions(of: row) { byID[e.id] = e }
                    for target in delete {
                        guard let e = byID[target] else { result.unknown.append(target); continue }
                        result.deleted += try w.deleteInteractions(ids: [target], of: row)
                        if let item = try w.itemID(of: e.item) { touched.insert(item) }
                    }
                    for c in corrections {
                        guard let e = byID[c.id] else { result.unknown.append(c.id); continue }
                        if try w.correctInteraction(id: c.id, of: row, kind: c.kind ?? e.kind, value: c.value ?? e.value) { result.corrected += 1 }
                        if let item = try w.itemID(of: e.item) { touched.insert(item) }
                    }
                    try w.appendAudit(
                        AuditEntry(
                            at: at, actor: actor, action: "subject.rectify", subject: pseudonym,
                            detail: "request=\(id) deleted=\(result.deleted) corrected=\(result.corrected)"))
                    try w.updateSubjectRequest(id: id, status: .completed, verifiedAt: nil, completedAt: at, detail: result.detail)
                }
                result.model = try ModelPatcher(engine: engine).remove(subjects: [], touching: touched)
            }
        }
        return result
    }

    // MARK: Restriction

    /// Freezes the person's data (Art. 18): kept, but no training, no personalization, no new events;
    /// their contribution leaves the saved model as in erasure. With `lift`, ends the restriction.
    public func restrict(user: String, lift: Bool = false, actor: String) throws -> RestrictionResult {
        let pseudonym = engine.pseudonymizer.pseudonym(for: user)
        let at = now()
        guard try engine.store.read({ r in try r.subjectRow(for: pseudonym) }) != nil else { throw EngineError.unknownSubject }
        let id = try open(lift ? .restrictionLifted : .restriction, for: pseudonym, actor: actor, at: at)
        var result = RestrictionResult(requestID: id, restricted: !lift)
        try tracking(id) {
            try ModelArtifacts(engine: engine).withLock {
                if !lift { result.model = try removeFromModels(pseudonym) }
                try engine.store.write { w in
                    guard let row = try w.subjectRow(for: pseudonym) else { throw EngineError.unknownSubject }
                    try w.setRestriction(of: row, at: lift ? nil : at)
                    try w.appendAudit(
                        AuditEntry(
                            at: at, actor: actor, action: lift ? "subject.restriction-lifted" : "subject.restrict",
                            subject: pseudonym, detail: "request=\(id)"))
                    try w.updateSubjectRequest(
                        id: id, status: .completed, verifiedAt: nil, completedAt: at,
                        detail: lift
                            ? "restriction lifted"
                            : "restricted; user vector dropped=\(result.model.userVectorsDropped) items re-solved=\(result.model.itemsResolved)")
                }
            }
        }
        return result
    }

    // MARK: Objection and withdrawal

    /// Records an objection to profiling (Art. 21): personalization and advertising refused, so the
    /// person gets non-personalized recommendations only, whatever the consent mode.
    @discardableResult
    public func object(user: String, actor: String) throws -> ConsentState {
        let pseudonym = engine.pseudonymizer.pseudonym(for: user)
        let at = now()
        let id = try open(.objection, for: pseudonym, actor: actor, at: at)
        let state = try tracking(id) {
            try ConsentService(engine: engine).record(
                user: user, purposes: [.personalization, .advertising], decision: .deny,
                source: .objection, note: "objection to profiling", actor: actor, at: at)
        }
        try engine.store.write { w in
            try w.updateSubjectRequest(id: id, status: .completed, verifiedAt: nil, completedAt: at, detail: "personalization and advertising refused")
        }
        return state
    }

    /// Withdraws consent for `purposes` at once. When model training is among them, the person's
    /// contribution leaves the saved model as in erasure (their data stays, for the purposes still permitted).
    @discardableResult
    public func withdraw(user: String, purposes: [Purpose], source: ConsentSource = .person, actor: String) throws -> WithdrawalResult {
        try withdraw(pseudonym: engine.pseudonymizer.pseudonym(for: user), purposes: purposes, source: source, actor: actor)
    }

    /// `withdraw(user:…)` for a person known only by their pseudonym (a person token's holder).
    @discardableResult
    public func withdraw(pseudonym: Pseudonym, purposes: [Purpose], source: ConsentSource = .person, actor: String) throws -> WithdrawalResult {
        let at = now()
        let id = try open(.withdrawal, for: pseudonym, actor: actor, at: at)
        var result = WithdrawalResult(requestID: id)
        try tracking(id) {
            try ModelArtifacts(engine: engine).withLock {
                if purposes.contains(.modelTraining) { result.model = try removeFromModels(pseudonym) }
                result.consent = try ConsentService(engine: engine).record(
                    pseudonym: pseudonym, purposes: purposes, decision: .deny, source: source,
                    note: "withdrawn", actor: actor, at: at)
                try engine.store.write { w in
                    try w.updateSubjectRequest(
                        id: id, status: .completed, verifiedAt: nil, completedAt: at,
                        detail: "withdrawn: \(purposes.map(\.rawValue).sorted().joined(separator: ",")); user vector dropped=\(result.model.userVectorsDropped)"
                    )
                }
            }
        }
        return result
    }

    /// Drops the person's user vector and re-solves the items they touched (the caller holds the model lock).
    private func removeFromModels(_ pseudonym: Pseudonym) throws -> ModelPatchReport {
        try ModelPatcher(engine: engine).remove(subjects: [pseudonym], touching: touchedItems(pseudonym) ?? [])
    }

    /// The catalog ids of the items the person has events for; nil when nothing is stored for them.
    private func touchedItems(_ pseudonym: Pseudonym) throws -> Set<String>? {
        try engine.store.read { r -> Set<String>? in
            guard let row = try r.subjectRow(for: pseudonym) else { return nil }
            return Set(try r.servingHistory(of: row).compactMap { try r.itemID(of: $0.item) })
        }
    }
}
