import TactCore
import Testing

@testable import TactRecommend

@Suite struct ModelFileKNNTests {
    func model() -> (StoredModel, ModelMetadata) {
        let m = SparseMatrix(rows: 4, columns: 3, triplets: [(0, 1, 2), (0, 2, 1), (1, 0, 3), (2, 1, 1), (3, 2, 4), (3, 0, 1)])
        var c = ItemKNNConfiguration()
        c.weighting = .bm25
        c.neighbours = 2
        let knn = ItemKNNModel.train(m, configuration: c)
        return (.knn(knn), ModelMetadata(algorithm: "knn", createdAt: 1, users: [], items: ["a", "b", "c"]))
    }

    @Test func itemKNNRoundTripsExactly() throws {
        let (stored, metadata) = model()
        let decoded = try ModelFile.decode(ModelFile.encode(stored, metadata: metadata))
        #expect(decoded.model == stored)
        #expect(decoded.metadata == metadata)
        #expect(try decoded.model.knnModel().similarity.nonZeros > 0)
        #expect(throws: ModelFileError.self) { try decoded.model.alsModel() }
    }

    @Test func aColumnOutsideTheCatalogIsRefused() throws {
        let (stored, metadata) = model()
        guard case .knn(var knn) = stored else { Issue.record("not knn"); return }
        var indices = knn.similarity.indices
        indices[0] = 7
        knn.similarity = SparseMatrix(rows: 3, columns: 3, rowStart: knn.similarity.rowStart, indices: indices, values: knn.similarity.values)
        #expect { try ModelFile.decode(ModelFile.encode(.knn(knn), metadata: metadata)) } throws: { error in
            guard case ModelFileError.inconsistentHeader = error else { return false }
            return true
        }
    }
}
