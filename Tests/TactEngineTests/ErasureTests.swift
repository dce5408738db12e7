import Foundation
import TactCore
import TactPrivacy
import TactRecommend
import TactStore
import TactTestSupport
import Testing

@testable import TactEngine

@Suite struct ErasureTests {
    @Test("erasure re-solves the items the person touched exactly as a re-solve without them, and drops their vector")
    func erasureReachesTheItemFactors() throws {
        let f = try RightsFixture()
        let (before, metadataBefore) = try f.savedModel()
        let eve = f.engine.pseudonymizer.pseudonym(for: "eve")
        #expect(metadataBefore.users.contains(eve.hex))
        let x1 = metadataBefore.items.firstIndex(of: "x1")!, x2 = metadataBefore.items.firstIndex(of: "x2")!
        // Before: the distinctive pair carries eve's taste.
        let served = ALSServing(model: before)
        #expect(served.similarItems(to: Int32(x1), k: 1).first?.item == Int32(x2))

        let result = try SubjectRights(engine: f.engine).erase(user: "eve", actor: "test")
        #expect(result.found)
        #expect(result.removed.interactions == 8)
        #expect(result.keyShredded)
        #expect(result.model.userVectorsDropped == 1)
        #expect(result.model.itemsResolved == 8)

        let (after, metadata) = try f.savedModel()
        #expect(!metadata.users.contains(eve.hex))
        #expect(after.users == before.users - 1)
        #expect(metadata.items == metadataBefore.items)
        let s = after.itemFactors.stride, k = after.itemFactors.factors
        let touched = Set(["r0", "r1", "r2", "r3", "r4", "r5", "x1", "x2"])
        for (column, id) in metadata.items.enumerated() {
            let got = (0..<k).map { Double(after.itemFactors.storage[column * s + $0]) }
            if touched.contains(id) {
                let want = f.referenceItemVector(model: before, metadata: metadataBefore, column: column, without: ["eve"])
                let norm = max(want.map { $0 * $0 }.reduce(0, +).squareRoot(), 1e-6)
                let error = zip(got, want).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
                #expect(error / norm < 1e-3, "item \(id): relative error \(error / norm)")
            } else {
                let old = (0..<k).map { Double(before.itemFactors.storage[column * s + $0]) }
                #expect(got == old, "item \(id) was not touched by eve and must not change")
            }
        }
        // x2 was eve's alone: nothing of it is left.
        #expect((0..<k).allSatisfy { after.itemFactors.storage[x2 * s + $0] == 0 })
        // The other users' vectors are the old ones, in order.
        let eveRow = metadataBefore.users.firstIndex(of: eve.hex)!
        let us = before.userFactors.stride
        for u in 0..<after.users {
            let old = u < eveRow ? u : u + 1
            #expect(Array(after.userFactors.storage[(u * us)..<((u + 1) * us)]) == Array(before.userFactors.storage[(old * us)..<((old + 1) * us)]))
        }
    }

    @Test("after erasure no export, query or model file holds the pseudonym, and the tombstone proves the request")
    func nothingLeftButTheTombstone() throws {
        let f = try RightsFixture()
        let eve = f.engine.pseudonymizer.pseudonym(for: "eve")
        _ = try SubjectExporter(engine: f.engine).export(user: "eve", actor: "test")
        // Before: the pseudonym is stored (so the checks below can fail), and the audit log mentions eve (by handle).
        #expect(try everyStoredValue(f.engine).contains { contains($0, eve.bytes) })
        #expect(fileContains(f.modelPath, eve.hex))

        _ = try SubjectRights(engine: f.engine).erase(user: "eve", actor: "test")
        let values = try everyStoredValue(f.engine)
        #expect(!values.contains { contains($0, eve.bytes) || contains($0, Array(eve.hex.utf8)) })
        #expect(!fileContains(f.modelPath, eve.hex))
        #expect(!fileContains(f.modelPath, bytes: eve.bytes))
        #expect(try f.engine.store.read { try $0.subjectRow(for: eve) } == nil)
        // Her free text is gone with the rows; her key is gone from the vault.
        #expect(try f.engine.vault.wrappedKeys(for: [eve]).isEmpty)
        // Other people's exports do not mention her.
        let other = try SubjectExporter(engine: f.engine).export(user: "fay", actor: "test")
        let otherJSON = String(decoding: try other.jsonData(), as: UTF8.self)
        #expect(!otherJSON.contains(eve.hex) && !otherJSON.contains("eve"))
        // Her own export now says nothing is held, and her requests remain as the tombstone.
        let export = try SubjectExporter(engine: f.engine).export(user: "eve", actor: "test")
        #expect(!export.person.known && export.interactions.isEmpty && export.audit.isEmpty)
        let requests = try SubjectRights(engine: f.engine).requests(user: "eve")
        #expect(requests.map(\.kind) == [.access, .erasure, .access])
        #expect(requests.allSatisfy { $0.status == .completed && $0.reference != eve.bytes })
        #expect(requests[1].detail.contains("interactions=8"))
    }

    @Test("a backup taken before erasure keeps only sealed text, unreadable once the key is shredded")
    func backupsBecomeUnreadable() throws {
        let f = try RightsFixture()
        let eve = f.engine.pseudonymizer.pseudonym(for: "eve")
        try (f.engine.store as! SQLiteStore).checkpoint()
        #expect(!fileContains(f.engine.directory.databasePath, "secret note"), "free text is stored sealed")
        let backup = f.tmp.file("backup.sqlite")
        try FileManager.default.copyItem(atPath: f.engine.directory.databasePath, toPath: backup)
        _ = try SubjectRights(engine: f.engine).erase(user: "eve", actor: "test")

        let copy = try SQLiteStore(path: backup)
        let sealed = try copy.read { r in try r.interactions(of: r.subjectRow(for: eve)!).compactMap(\.sealedContext) }
        #expect(sealed.count == 2)
        #expect(try f.engine.vault.wrappedKeys(for: [eve])[eve] == nil)
        // Even a key made now for the same person does not open it.
        let fresh = f.engine.keyring.newKey(for: eve).key
        #expect(throws: SealingError.self) { try fresh.open(sealed[0]) }
    }

    @Test("an erasure that cannot patch the model is refused, recorded, and leaves the data for a retry")
    func failedErasureIsRecorded() throws {
        let f = try RightsFixture()
        try Data("not a model".utf8).write(to: URL(fileURLWithPath: f.modelPath))
        #expect(throws: (any Error).self) { try SubjectRights(engine: f.engine).erase(user: "eve", actor: "test") }
        let requests = try SubjectRights(engine: f.engine).requests(user: "eve")
        #expect(requests.map(\.status) == [.refused])
        #expect(requests[0].completedAt != nil && requests[0].detail.hasPrefix("failed:"))
        let kept = try SubjectExporter(engine: f.engine).export(user: "eve", actor: "test")
        #expect(kept.interactions.count == 8)
        #expect(kept.interactions.contains { $0.context == "eve's secret note" }, "the key is shredded only once the model is patched")
        try f.train()
        #expect(try SubjectRights(engine: f.engine).erase(user: "eve", actor: "test").removed.interactions == 8)
    }

    @Test("retention empties sealed free text after the context period, and keeps the event")
    func retentionClearsSealedText() throws {
        let f = try RightsFixture()
        let eve = f.engine.pseudonymizer.pseudonym(for: "eve")
        func sealed() throws -> Int {
            try f.engine.store.read { r in try r.interactions(of: r.subjectRow(for: eve)!).filter { $0.sealedContext != nil }.count }
        }
        #expect(try sealed() == 2)
        // 100 days after the events: past the 90-day context period, well within the 730-day interactions period.
        _ = try RetentionJob(engine: f.engine).run(now: 1_700_000_201 + 100 * 86_400)
        #expect(try sealed() == 0)
        #expect(try SubjectExporter(engine: f.engine).export(user: "eve", actor: "test").interactions.count == 8)
    }

    @Test("erasing an unknown person completes the request and changes nothing")
    func unknownPerson() throws {
        let f = try RightsFixture()
        let before = try f.engine.statistics()
        let result = try SubjectRights(engine: f.engine).erase(user: "nobody", actor: "test")
        #expect(!result.found)
        let after = try f.engine.statistics()
        #expect(after.interactions == before.interactions && after.subjects == before.subjects)
        #expect(try SubjectRights(engine: f.engine).requests(user: "nobody").map(\.status) == [.completed])
    }

    @Test("a retraining that read the data before an erasure is saved without the person: their vector goes, their items are solved again")
    func retrainRaceIsClosed() throws {
        let f = try RightsFixture()
        let snapshot = try TrainingSnapshot.read(from: f.engine)
        _ = try SubjectRights(engine: f.engine).erase(user: "eve", actor: "test")
        let current = try f.engine.store.read { try $0.latestModelChangingRequest() }
        #expect(current > snapshot.requestMark, "the erasure must move the mark a trainer checks before saving")
        let again = try TrainingSnapshot.read(from: f.engine)
        #expect(again.requestMark == current)
        #expect(!again.data.users.contains(f.engine.pseudonymizer.pseudonym(for: "eve").hex))
        let eve = f.engine.pseudonymizer.pseudonym(for: "eve").hex
        let stale = try ModelTrainer.train(snapshot.data.matrix, spec: .als(f.configuration))
        #expect(snapshot.data.users.contains(eve))

        // Saved elsewhere than the models folder (nothing there to patch through): refused, nothing written.
        let elsewhere = f.tmp.file("elsewhere.tactmodel")
        guard
            case .refused = try ModelStorage.saveUnlessChanged(
                stale, algorithm: "als", data: snapshot.data, parameters: [:], mark: snapshot.requestMark, engine: f.engine, to: elsewhere)
        else {
            Issue.record("a model trained on data read before the erasure was saved where it cannot be patched")
            return
        }
        #expect(!FileManager.default.fileExists(atPath: elsewhere))

        // Into the models folder (what tact train and the server do): saved, then patched before anyone reads it.
        guard
            case .saved(let published) = try ModelStorage.saveUnlessChanged(
                stale, algorithm: "als", data: snapshot.data, parameters: [:], mark: snapshot.requestMark, engine: f.engine)
        else {
            Issue.record("a model trained on data read before the erasure was refused, so retraining cannot land while erasures go on")
            return
        }
        let (patched, metadata) = try f.savedModel()
        #expect(!metadata.users.contains(eve))
        #expect(metadata.users.count == snapshot.data.users.count - 1)
        let file = try [UInt8](Data(contentsOf: URL(fileURLWithPath: f.modelPath)))
        let version = try #require(published?.version)
        #expect(try f.engine.store.read { try $0.modelArtifactBytes(algorithm: "als", version: version) } == file, "the version published is the patched file")
        // Eve's items are solved again without her, from the stale model's own user vectors.
        let staleModel = try stale.model.alsModel()
        let staleMetadata = ModelMetadata(algorithm: "als", createdAt: 0, users: snapshot.data.users, items: snapshot.data.items, parameters: [:])
        let s = patched.itemFactors.stride, k = patched.itemFactors.factors
        for id in ["x1", "x2", "r0"] {
            let column = metadata.items.firstIndex(of: id)!
            let got = (0..<k).map { Double(patched.itemFactors.storage[column * s + $0]) }
            let want = f.referenceItemVector(model: staleModel, metadata: staleMetadata, column: column, without: ["eve"])
            let norm = max(want.map { $0 * $0 }.reduce(0, +).squareRoot(), 1e-6)
            let error = zip(got, want).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
            #expect(error / norm < 1e-3, "item \(id): relative error \(error / norm)")
        }
    }
}
