import Foundation
import TactCore
import TactStore
import TactTestSupport
import Testing

@testable import TactEngine

@Suite struct RetentionJobTests {
    let tmp = TemporaryDirectory()
    /// The injected clock: every run below treats this as now.
    let now: Int64 = 1_800_000_000
    let day: Int64 = 86_400

    /// An engine on the built-in policy (interactions 730 days, context 90 days), with two people:
    /// `a` has consent and one expired event; `b` has events of every age and no consent.
    func makeEngine() throws -> (Engine, a: SubjectRow, b: SubjectRow) {
        let dir = DataDirectory(path: tmp.file("data"), environment: [:])
        try dir.initialize(mode: .optIn)
        let engine = try dir.open()
        let (a, b) = try engine.store.write { w -> (SubjectRow, SubjectRow) in
            let a = try w.insertSubject(Pseudonym(bytes: Array(repeating: 1, count: 32)), createdAt: 0)
            let b = try w.insertSubject(Pseudonym(bytes: Array(repeating: 2, count: 32)), createdAt: 0)
            let item = try w.ensureItem(id: "i1")
            try w.appendConsent(
                ConsentRecord(
                    subject: Pseudonym(bytes: Array(repeating: 1, count: 32)), purpose: .personalization, decision: .grant,
                    source: .person, recordedAt: now - 800 * day, policyVersion: "1"), subject: a)
            try w.insertInteraction(subject: a, item: item, kind: .play, value: 1, timestamp: now - 731 * day, context: "a expired")
            try w.insertInteraction(subject: b, item: item, kind: .play, value: 1, timestamp: now - 730 * day, context: "b at the cutoff")
            try w.insertInteraction(subject: b, item: item, kind: .view, value: 1, timestamp: now - 100 * day, context: "b old note")
            try w.insertInteraction(subject: b, item: item, kind: .like, value: 1, timestamp: now - 100 * day, context: nil)
            try w.insertInteraction(subject: b, item: item, kind: .purchase, value: 1, timestamp: now - 90 * day, context: "b at the context cutoff")
            try w.insertInteraction(subject: b, item: item, kind: .play, value: 1, timestamp: now - 10 * day, context: "b recent")
            return (a, b)
        }
        return (engine, a, b)
    }

    func events(_ engine: Engine) throws -> [StoredInteraction] {
        var all: [StoredInteraction] = []
        try engine.store.read { r in try r.forEachInteraction { all.append($0) } }
        return all
    }

    @Test func deletesExactlyTheExpiredEventsAndContexts() throws {
        let (engine, a, b) = try makeEngine()
        let auditBefore = try engine.statistics().auditEntries
        let run = try RetentionJob(engine: engine).run(now: now)

        let left = try events(engine)
        #expect(left.map(\.timestamp) == [now - 730 * day, now - 100 * day, now - 100 * day, now - 90 * day, now - 10 * day])
        #expect(left.map(\.context) == [nil, nil, nil, "b at the context cutoff", "b recent"])
        #expect(left.allSatisfy { $0.subject == b })
        // Subjects and consent stay, even for a person left without events.
        let (pseudonym, consent, history) = try engine.store.read { r in
            (try r.pseudonym(of: a), try r.consentHistory(of: a), try r.interactions(of: a))
        }
        #expect(pseudonym != nil && consent.count == 1 && history.isEmpty)

        #expect(run.ranAt == now && run.actor == "retention" && run.policyVersion == engine.policy.version)
        #expect(run.categories.map(\.name) == engine.policy.dataCategories.map(\.name))
        let by = Dictionary(uniqueKeysWithValues: run.categories.map { ($0.name, $0) })
        #expect(by["interactions"] == .init(name: "interactions", retentionDays: 730, cutoff: now - 730 * day, action: .deleted, count: 1))
        #expect(by["context"] == .init(name: "context", retentionDays: 90, cutoff: now - 90 * day, action: .cleared, count: 2))
        #expect(by["audit"]?.action == .notApplied)
        #expect(by["audit"]?.summary == "not applied: the audit log is append-only")
        #expect(by["consent"]?.action == .kept && by["models"]?.action == .kept)
        #expect(run.total == 3)

        // Recorded, and audited once with counts only.
        #expect(try RetentionJob(engine: engine).recentRuns(limit: 5) == [run])
        let stats = try engine.statistics()
        #expect(stats.auditEntries == auditBefore + 1)
        let entry = try #require(try engine.store.read { try $0.recentAuditEntries(limit: 1) }.first)
        #expect(entry == AuditEntry(at: now, actor: "retention", action: "retention.run", detail: "interactions=1 context=2"))
    }

    @Test func runningAgainChangesNothingAndIsRecorded() throws {
        let (engine, _, _) = try makeEngine()
        let job = RetentionJob(engine: engine)
        let first = try job.run(now: now)
        let afterFirst = try events(engine)
        let second = try job.run(now: now)
        #expect(try events(engine) == afterFirst)
        #expect(second.total == 0)
        #expect(second.categories.map(\.action) == first.categories.map(\.action))
        #expect(try job.recentRuns(limit: 5).map(\.id) == [second.id, first.id])
        // An earlier clock deletes nothing more either.
        #expect(try job.run(now: now - 365 * day).total == 0)
    }

    @Test func followsThePolicyItIsGiven() throws {
        let (engine, _, _) = try makeEngine()
        var policy = engine.policy
        policy.dataCategories = [
            .init(name: "interactions", description: "Events.", retentionDays: 95),
            .init(name: "context", description: "Free text.", retentionDays: nil),
            .init(name: "location", description: "Where you are.", retentionDays: 7)
        ]
        // 4 of the 6 events: more than half, so confirmed (the refusal has its own test).
        let run = try RetentionJob(store: engine.store, policy: policy).run(now: now, confirmed: true)
        #expect(run.categories.map(\.action) == [.deleted, .kept, .notApplied])
        #expect(run.categories[0].count == 4)
        #expect(run.categories[2].note?.contains("location") == true)
        let left = try events(engine)
        #expect(left.map(\.context) == ["b at the context cutoff", "b recent"])
    }

    @Test(
        "a run that would delete more than half of all events deletes nothing, is recorded as refused and audited, and says what to do; confirmed, it deletes")
    func refusesToDeleteMostEvents() throws {
        let (engine, _, _) = try makeEngine()
        var policy = engine.policy
        policy.dataCategories = [
            .init(name: "interactions", description: "Events.", retentionDays: 95),
            .init(name: "context", description: "Free text.", retentionDays: 30)
        ]
        let before = try events(engine)
        let job = RetentionJob(store: engine.store, policy: policy)
        var refusal: RetentionRefused?
        do { _ = try job.run(now: now) } catch let r as RetentionRefused { refusal = r }
        let refused = try #require(refusal)
        #expect(refused.deleting == 4 && refused.total == 6)
        #expect(refused.description.contains("4 of the 6 events") && refused.description.contains("tact retention run --confirm"))
        #expect(try events(engine) == before, "nothing deleted, and no free text cleared either")
        let recorded = try #require(try job.recentRuns(limit: 1).first)
        #expect(recorded.refused && recorded.total == 0 && recorded.categories.map(\.action) == [.refused] && recorded.categories[0].count == 4)
        let entry = try #require(try engine.store.read { try $0.recentAuditEntries(limit: 1) }.first)
        #expect(entry == AuditEntry(at: now, actor: "retention", action: "retention.refused", detail: "interactions=4 of=6 share=0.5"))
        // A share of 1 never refuses; a run within the share is not refused.
        #expect(try RetentionJob(store: engine.store, policy: engine.policy).run(now: now).total == 3, "1 of 6 events, and 2 texts")
        #expect(try job.run(now: now, confirmed: true).categories.first?.count == 3)
        #expect(try events(engine).count == 2)
    }

    @Test func treatmentByCategory() {
        #expect(RetentionTreatment(.init(name: "interactions", description: "", retentionDays: 3)) == .deleteInteractions(days: 3))
        #expect(RetentionTreatment(.init(name: "context", description: "", retentionDays: 3)) == .clearContext(days: 3))
        #expect(RetentionTreatment(.init(name: "interactions", description: "", retentionDays: nil)) == .keep)
        #expect(RetentionTreatment(.init(name: "audit", description: "", retentionDays: 3)) == .notApplied(reason: "the audit log is append-only"))
        if case .notApplied = RetentionTreatment(.init(name: "consent", description: "", retentionDays: 3)) {
        } else {
            Issue.record("consent must not be deleted")
        }
        // Periods too long to subtract from the clock expire nothing.
        #expect(RetentionJob.cutoff(now: 100, days: Int.max) == .min)
        #expect(RetentionJob.cutoff(now: 100, days: 1) == 100 - 86_400)
    }
}
