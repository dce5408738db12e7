import Foundation
import TactCore
import TactRecommend
import TactStore
import TactTestSupport
import Testing

@testable import TactEngine

@Suite struct SubjectRightsTests {
    @Test("the export holds consent and its history, interactions with opened free text, a profile, recommendations and audit entries")
    func exportIsComplete() throws {
        let f = try RightsFixture()
        try ConsentService(engine: f.engine).record(user: "eve", purposes: [.analytics], decision: .deny)
        let (served, metadata) = try ModelStorage.loadServable(path: f.modelPath)
        let recommender = try ModelRecommender(engine: f.engine, served: served, itemIDs: metadata.items)
        let export = try SubjectExporter(engine: f.engine).export(user: "eve", actor: "test", recommender: recommender)
        #expect(export.person.known)
        #expect(export.interactions.count == 8)
        #expect(Set(export.interactions.compactMap(\.context)) == ["eve's secret note", "another, \"quoted\" note"])
        #expect(export.consent.history.count == 4)
        #expect(export.consent.current.first { $0.purpose == "analytics" }?.permitted == false)
        #expect(export.profile.topTags.first?.name == "rare")
        #expect(export.profile.summary.contains("8 items") && export.profile.summary.contains("rare"))
        #expect(!export.recommendations.isEmpty)
        #expect(export.recommendations.allSatisfy { !$0.reasons.isEmpty })
        #expect(!export.profile.drivers.isEmpty)
        #expect(export.audit.map(\.action).contains("consent.deny"))
        #expect(export.audit.first { $0.action == "ingest.person" }?.detail.contains("stored=8") == true, "each batch write is audited per person")
        #expect(export.audit.last?.action == "subject.export")
        #expect(export.requests.map(\.kind) == ["access"])
        let csv = export.interactionsCSV()
        #expect(csv.hasPrefix("id,item,title,kind,value,timestamp,context,purpose\r\n"))
        #expect(csv.contains(#""another, ""quoted"" note""#))
        #expect(csv.split(separator: "\r\n").count == 9)
    }

    @Test("requests are tracked with their legal deadline: one month opt-in, 45 days opt-out")
    func requestDeadlines() throws {
        for (mode, days) in [(ConsentMode.optIn, Int64(30)), (.optOut, 45)] {
            let f = try RightsFixture(mode: mode)
            let rights = SubjectRights(engine: f.engine, now: { 1_800_000_000 })
            try rights.object(user: "p1", actor: "key:k1")
            let r = try rights.requests(user: "p1")
            #expect(r.count == 1)
            #expect(r[0].receivedAt == 1_800_000_000 && r[0].verifiedAt == 1_800_000_000 && r[0].completedAt == 1_800_000_000)
            #expect(r[0].dueAt == 1_800_000_000 + days * 86_400)
            #expect(r[0].actor == "key:k1" && r[0].status == .completed)
            #expect(try rights.allRequests().count == 1)
        }
    }

    @Test("rectification deletes and corrects the named interactions only, and re-solves their items")
    func rectification() throws {
        let f = try RightsFixture()
        let export = try SubjectExporter(engine: f.engine).export(user: "eve", actor: "test")
        let x1 = export.interactions.first { $0.item == "x1" }!, r0 = export.interactions.first { $0.item == "r0" }!
        let faysFirst = try SubjectExporter(engine: f.engine).export(user: "fay", actor: "test").interactions[0]
        let result = try SubjectRights(engine: f.engine).rectify(
            user: "eve", delete: [x1.id, faysFirst.id], corrections: [InteractionCorrection(id: r0.id, kind: .like, value: 1)], actor: "test")
        #expect(result.deleted == 1 && result.corrected == 1)
        #expect(result.unknown == [faysFirst.id], "another person's interaction is not this person's to rectify")
        #expect(result.model.itemsResolved == 2)
        let after = try SubjectExporter(engine: f.engine).export(user: "eve", actor: "test")
        #expect(after.interactions.count == 7)
        #expect(!after.interactions.contains { $0.id == x1.id })
        #expect(after.interactions.first { $0.id == r0.id }?.kind == "like")
        #expect(try SubjectExporter(engine: f.engine).export(user: "fay", actor: "test").interactions.count == 2)
        #expect(throws: EngineError.self) { try SubjectRights(engine: f.engine).rectify(user: "nobody", delete: [1], corrections: [], actor: "t") }
    }

    @Test("restriction freezes the data: kept, not personalized, not trained on, no new events; lifting restores")
    func restriction() throws {
        let f = try RightsFixture()
        let eve = f.engine.pseudonymizer.pseudonym(for: "eve")
        let result = try SubjectRights(engine: f.engine).restrict(user: "eve", actor: "test")
        #expect(result.restricted && result.model.userVectorsDropped == 1)
        #expect(!(try f.savedModel().metadata.users.contains(eve.hex)))
        let recommender = try ModelRecommender(
            engine: f.engine, served: ModelStorage.loadServable(path: f.modelPath).model, itemIDs: f.savedModel().metadata.items)
        let profile = try recommender.profile(user: "eve")
        #expect(profile.known && !profile.personalizationPermitted && profile.history.isEmpty)
        #expect(!(try TrainingSnapshot.read(from: f.engine).data.users.contains(eve.hex)))
        let report = try Ingestor(engine: f.engine).ingest(
            [IncomingInteraction(user: "eve", item: "j3", kind: .play, timestamp: 1_700_001_000)], options: IngestOptions())
        #expect(report.stored == 0 && report.restricted == 1)
        #expect(try SubjectExporter(engine: f.engine).export(user: "eve", actor: "test").interactions.count == 8, "restricted data is kept")
        // Rectification stays possible while restricted (restriction often waits on it, Art. 18(1)(a)).
        let first = try SubjectExporter(engine: f.engine).export(user: "eve", actor: "test").interactions[0]
        #expect(try SubjectRights(engine: f.engine).rectify(user: "eve", delete: [], corrections: [.init(id: first.id, value: 2)], actor: "t").corrected == 1)

        _ = try SubjectRights(engine: f.engine).restrict(user: "eve", lift: true, actor: "test")
        #expect(try recommender.profile(user: "eve").personalizationPermitted)
        #expect(try TrainingSnapshot.read(from: f.engine).data.users.contains(eve.hex))
        #expect(
            try SubjectRights(engine: f.engine).requests(user: "eve").map(\.kind).filter { $0 != .access } == [.restriction, .rectification, .restrictionLifted]
        )
    }

    @Test("objection to profiling leaves only non-personalized recommendations, in any consent mode")
    func objection() throws {
        let f = try RightsFixture(mode: .optOut)
        let recommender = try ModelRecommender(
            engine: f.engine, served: ModelStorage.loadServable(path: f.modelPath).model, itemIDs: f.savedModel().metadata.items)
        #expect(try recommender.recommend(user: "p2", k: 3) != nil)
        let state = try SubjectRights(engine: f.engine).object(user: "p2", actor: "test")
        #expect(state[.personalization]?.source == .objection && state[.advertising]?.decision == .deny)
        #expect(try recommender.recommend(user: "p2", k: 3) == nil)
    }

    @Test("withdrawing model-training consent removes the person from the model at once and keeps their data")
    func withdrawal() throws {
        let f = try RightsFixture()
        let p3 = f.engine.pseudonymizer.pseudonym(for: "p3")
        #expect(try f.savedModel().metadata.users.contains(p3.hex))
        let result = try SubjectRights(engine: f.engine).withdraw(user: "p3", purposes: [.modelTraining], actor: "test")
        #expect(result.model.userVectorsDropped == 1 && result.model.itemsResolved > 0)
        #expect(result.consent[.modelTraining]?.decision == .deny)
        #expect(!(try f.savedModel().metadata.users.contains(p3.hex)))
        #expect(!(try TrainingSnapshot.read(from: f.engine).data.users.contains(p3.hex)))
        #expect(try SubjectExporter(engine: f.engine).export(user: "p3", actor: "test").interactions.count > 0)
    }
}
