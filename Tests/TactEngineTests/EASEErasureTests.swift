import Foundation
import TactCore
import TactRecommend
import TactStore
import TactTestSupport
import Testing

@testable import TactEngine

@Suite struct EASEErasureTests {
    @Test("erasure patches a saved EASE model into the one trained without the person: XᵀX and B as a retrain gives them")
    func erasureIsARetrainWithoutThem() throws {
        let f = try RightsFixture()
        let spec = ModelSpec(EASEConfiguration(regularization: 5, threads: 1))
        let path = ModelDirectory(directory: f.engine.directory).modelPath(algorithm: "ease")
        let snapshot = try TrainingSnapshot.read(from: f.engine)
        try ModelStorage.save(try ModelTrainer.train(snapshot.data.matrix, spec: spec), algorithm: "ease", data: snapshot.data, parameters: [:], to: path)
        let (stored, metadataBefore) = try ModelFile.read(from: path)
        guard case .ease(let before) = stored else { Issue.record("the file holds \(stored.algorithm)"); return }
        #expect(metadataBefore.users.contains(f.engine.pseudonymizer.pseudonym(for: "eve").hex))

        let result = try SubjectRights(engine: f.engine).erase(user: "eve", actor: "test")
        #expect(result.found)
        #expect(!result.model.awaitingRetrain.contains("ease"))

        let (patchedStored, metadata) = try ModelFile.read(from: path)
        guard case .ease(let patched) = patchedStored else { Issue.record("the patched file holds \(patchedStored.algorithm)"); return }
        #expect(!metadata.users.contains(f.engine.pseudonymizer.pseudonym(for: "eve").hex))
        #expect(metadata.items == metadataBefore.items)
        // The reference: the model trained on the store as it is now, without eve, over the same columns.
        let remaining = try TrainingSnapshot.read(from: f.engine)
        var columnOf: [String: Int] = [:]
        for (i, id) in metadataBefore.items.enumerated() { columnOf[id] = i }
        var triplets: [(row: Int32, column: Int32, value: Float)] = []
        for r in 0..<remaining.data.matrix.rows {
            let (indices, values) = remaining.data.matrix.row(r)
            for (c, v) in zip(indices, values) { triplets.append((Int32(r), Int32(columnOf[remaining.data.items[Int(c)]]!), v)) }
        }
        let matrix = SparseMatrix(rows: remaining.data.matrix.rows, columns: metadataBefore.items.count, triplets: triplets)
        let retrained = try EASEModel.train(matrix, configuration: before.configuration)
        #expect(patched.gram == retrained.gram)
        #expect(patched.gram != before.gram)
        let worst = zip(patched.weights, retrained.weights).map { abs($0 - $1) }.max() ?? 0
        #expect(worst < 1e-4, "largest difference \(worst)")
        // x2 was eve's alone: nothing points to it any more.
        let x2 = metadata.items.firstIndex(of: "x2")!, n = patched.itemCount
        #expect((0..<n).allSatisfy { patched.weights[$0 * n + x2] == 0 && patched.weights[x2 * n + $0] == 0 })
    }
}
