import Foundation
import TactCore
import TactEngine
import TactStore
import TactTestSupport
import Testing

@testable import TactCLI

/// `tact subject export/rectify/restrict/object/status` by their effect on the store and what they
/// write, not by their exit codes alone.
@Suite(.serialized) struct SubjectCommandTests {
    let tmp = TemporaryDirectory()

    func engine(_ data: String) throws -> Engine { try DataDirectory(path: data, environment: [:]).open() }

    /// The person's stored interactions (id, item id, kind, value).
    func stored(_ user: String, in engine: Engine) throws -> [(id: Int64, item: String, kind: InteractionKind, value: Double)] {
        try engine.store.read { r in
            guard let row = try r.subjectRow(for: engine.pseudonymizer.pseudonym(for: user)) else { return [] }
            let ids = Dictionary(uniqueKeysWithValues: try r.items().map { ($0.row, $0.item.id) })
            return try r.interactions(of: row).map { ($0.id, ids[$0.item] ?? "?", $0.kind, $0.value) }
        }
    }

    @Test("export writes the person's events (JSON and CSV, mode 0600), exactly those the store holds for them")
    func exportWritesThePersonsEvents() throws {
        let data = trainedDataDirectory(in: tmp)
        let held = try stored("u1", in: try engine(data))
        #expect(held.count >= 5)
        let json = tmp.file("u1.json"), csv = tmp.file("u1.csv")
        #expect(TactMain.run(["subject", "export", "u1", "--output", json, "--data", data]) == 0)
        #expect(TactMain.run(["subject", "export", "u1", "--format", "csv", "--output", csv, "--data", data]) == 0)
        for path in [json, csv] {
            let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
            #expect(mode == 0o600, "\(path)")
        }
        let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any])
        let interactions = try #require(document["interactions"] as? [[String: Any]])
        #expect(interactions.map { $0["id"] as? Int64 ?? -1 }.sorted() == held.map(\.id).sorted())
        #expect(interactions.map { $0["item"] as? String ?? "" }.sorted() == held.map(\.item).sorted())
        // The export itself is a tracked request of the person's.
        #expect((document["requests"] as? [[String: Any]])?.contains { $0["kind"] as? String == "access" } == true)
        let lines = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\r\n")
        #expect(lines.first == "id,item,title,kind,value,timestamp,context,purpose")
        #expect(Set(lines.dropFirst().map { Int64($0.split(separator: ",")[0]) ?? -1 }) == Set(held.map(\.id)))
        // Another person's events are not in it.
        let other = try stored("u2", in: try engine(data))
        #expect(Set(other.map(\.id)).isDisjoint(with: held.map(\.id)))
    }

    @Test("rectify corrects and deletes the named events in the store, and refuses events that are not the person's")
    func rectifyChangesTheStoredEvents() throws {
        let data = trainedDataDirectory(in: tmp)
        let before = try stored("u1", in: try engine(data))
        let corrected = try #require(before.first), deleted = try #require(before.last)
        #expect(corrected.value != 7.5)
        #expect(TactMain.run(["subject", "rectify", "u1", "--set", "\(corrected.id)=rating:7.5", "--delete", "\(deleted.id)", "--data", data]) == 0)
        let after = try stored("u1", in: try engine(data))
        #expect(after.count == before.count - 1)
        #expect(!after.contains { $0.id == deleted.id })
        let changed = try #require(after.first { $0.id == corrected.id })
        #expect(changed.value == 7.5 && changed.kind == .rating && changed.item == corrected.item)
        // Untouched events are as they were.
        let rest = before.filter { $0.id != corrected.id && $0.id != deleted.id }
        #expect(rest.allSatisfy { e in after.contains { $0.id == e.id && $0.value == e.value && $0.kind == e.kind } })
        // Another person's event: exit 1, and it is not changed.
        let foreign = try #require(try stored("u2", in: try engine(data)).first)
        #expect(TactMain.run(["subject", "rectify", "u1", "--set", "\(foreign.id)=9", "--data", data]) == 1)
        #expect(try stored("u2", in: try engine(data)).first { $0.id == foreign.id }?.value == foreign.value)
    }

    @Test("restrict freezes the person: restricted in the store, recommend falls back to everyone's favourites; --lift undoes it")
    func restrictFreezesThePerson() throws {
        let data = trainedDataDirectory(in: tmp)
        let personal = try RecommendCommand.parse(["u1", "--k", "5", "--data", data]).list()
        #expect(personal.personalized)
        #expect(TactMain.run(["subject", "restrict", "u1", "--data", data]) == 0)
        let e = try engine(data)
        let pseudonym = e.pseudonymizer.pseudonym(for: "u1")
        let restrictedAt = try e.store.read { r in try r.subjectRow(for: pseudonym).flatMap { try r.restriction(of: $0) } }
        #expect(restrictedAt != nil)
        #expect(try e.store.read { r in try r.restrictedSubjects().contains(try #require(try r.subjectRow(for: pseudonym))) })
        let frozen = try RecommendCommand.parse(["u1", "--k", "5", "--data", data]).list()
        #expect(!frozen.personalized && frozen.fallback == .noPersonalizationConsent)
        #expect(frozen.items.count == 5)
        // Others are untouched.
        #expect(try RecommendCommand.parse(["u2", "--k", "5", "--data", data]).list().personalized)
        // The data is kept, not erased.
        #expect(try stored("u1", in: e).count > 0)
        #expect(TactMain.run(["subject", "restrict", "u1", "--lift", "--data", data]) == 0)
        #expect(try e.store.read { r in try r.subjectRow(for: pseudonym).flatMap { try r.restriction(of: $0) } } == nil)
        // An unknown person cannot be restricted.
        #expect(TactMain.run(["subject", "restrict", "nobody-at-all", "--data", data]) == 1)
    }

    @Test("object records the objection: personalization and advertising denied with source 'objection'; recommend falls back")
    func objectRecordsTheObjection() throws {
        let data = trainedDataDirectory(in: tmp)
        #expect(TactMain.run(["subject", "object", "u2", "--data", data]) == 0)
        let e = try engine(data)
        let state = try e.store.read { r in try r.subjectRow(for: e.pseudonymizer.pseudonym(for: "u2")).map { try r.consentState(of: $0) } }
        let entries = try #require(state?.entries)
        for purpose in [Purpose.personalization, .advertising] {
            #expect(entries[purpose]?.decision == .deny && entries[purpose]?.source == .objection, "\(purpose)")
        }
        #expect(entries[.modelTraining]?.decision == .grant)  // only profiling is objected to
        let list = try RecommendCommand.parse(["u2", "--k", "5", "--data", data]).list()
        #expect(!list.personalized && list.fallback == .noPersonalizationConsent)
    }

    @Test("status lists the person's requests with their kind and status; a person without any is told so")
    func statusReportsTheRequests() throws {
        let data = trainedDataDirectory(in: tmp)
        #expect(TactMain.run(["subject", "restrict", "u3", "--data", data]) == 0)
        #expect(TactMain.run(["subject", "object", "u3", "--data", data]) == 0)
        let (status, output) = runCapturingOutput(["subject", "status", "u3", "--data", data])
        #expect(status == 0)
        let rows = output.split(separator: "\n").filter { $0.contains("completed") }
        #expect(rows.contains { $0.contains("restriction") } && rows.contains { $0.contains("objection") }, "\(output)")
        #expect(!output.contains("No requests recorded"))
        let requests = try SubjectRights(engine: try engine(data)).requests(user: "u3")
        #expect(Set(requests.map(\.kind.rawValue)) == ["restriction", "objection"])
        for r in requests { #expect(output.contains("\(r.id)") && output.contains(r.detail), "\(r.detail)") }
        // u4 asked for nothing.
        let (_, none) = runCapturingOutput(["subject", "status", "u4", "--data", data])
        #expect(none.contains("No requests recorded for this person."))
    }
}
