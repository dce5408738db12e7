import Foundation
import TactCore
import Testing

@testable import TactRecommend

@Suite("EASE + iALS blend")
struct BlendTests {
    /// 30 people in three taste groups over 12 items, with some crossing over.
    static func data() -> SparseMatrix {
        var rng = SplitMix64(seed: 9)
        var triplets: [(row: Int32, column: Int32, value: Float)] = []
        for person in 0..<30 {
            let group = person % 3
            for item in 0..<12 where item / 4 == group ? rng.next() % 4 != 0 : rng.next() % 7 == 0 {
                triplets.append((Int32(person), Int32(item), 1))
            }
        }
        return SparseMatrix(rows: 30, columns: 12, triplets: triplets)
    }

    static func configuration(weight: Float) -> BlendConfiguration {
        var als = ALSConfiguration()
        als.factors = 4
        als.iterations = 6
        als.regularization = 0.5
        als.threads = 1
        return BlendConfiguration(ease: EASEConfiguration(regularization: 5, threads: 1), als: als, easeWeight: weight)
    }

    static func trained(weight: Float) throws -> BlendModel {
        guard case .blend(let model) = try configuration(weight: weight).train(data(), progress: nil).model else {
            Issue.record("a blend trains a blend")
            throw CancellationError()
        }
        return model
    }

    /// z-scores over the items not in `had`, computed apart from the model, in Double.
    static func standardized(_ scores: [Float], had: Set<Int32>) -> [Double] {
        let kept = scores.indices.filter { !had.contains(Int32($0)) }.map { Double(scores[$0]) }
        let mean = kept.reduce(0, +) / Double(kept.count)
        let sd = (kept.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(kept.count)).squareRoot()
        return scores.map { (Double($0) - mean) / sd }
    }

    @Test("it ranks as the weighted sum of the two models' standardized scores, and the reasons add up to each score")
    func ranksAsStandardizedSum() throws {
        let model = try Self.trained(weight: 0.4)
        let serving = BlendServing(model: model)
        let history: [(item: Int32, value: Float)] = [(0, 1), (2, 1), (5, 1)]
        let had: Set<Int32> = [0, 2, 5]
        let easeScores = model.ease.scores(history: Array(had))
        let system = PersonalSystem(serving: serving.als, history: history)
        var alsScores = [Float](repeating: 0, count: 12)
        for (item, score) in serving.als.recommendExact(system.userVector, k: 12) { alsScores[Int(item)] = score }
        let e = Self.standardized(easeScores, had: had), a = Self.standardized(alsScores, had: had)
        let blended: [Double] = (0..<12).map { (i: Int) -> Double in 0.4 * e[i] + 0.6 * a[i] }
        let expected: [Int32] = (0..<Int32(12)).filter { !had.contains($0) }.sorted { (x: Int32, y: Int32) -> Bool in blended[Int(x)] > blended[Int(y)] }
        let ranked = serving.rank(history: history, candidates: 9, excluding: [], allowed: nil, reasonsPerItem: 3, choose: { $0 })
        #expect(ranked.map(\.item) == expected)
        for item in ranked {
            let parts = try #require(serving.contributions(history: history, to: item.item))
            #expect(abs(parts.score - item.score) < 1e-4 * max(1, abs(item.score)))
            #expect(abs(parts.contributions.reduce(0) { $0 + $1.contribution } - item.score) < 1e-4 * max(1, abs(item.score)))
            #expect(parts.contributions.allSatisfy { had.contains($0.item) })
            #expect(item.reasons.allSatisfy { had.contains($0.item) } && item.reasons.count <= 3)
        }
        // Exclusions and filters hold.
        let first = expected[0], second = expected[1]
        let filtered = serving.rank(history: history, candidates: 5, excluding: [first], allowed: { $0 != second }, reasonsPerItem: 0, choose: { $0 })
        let listed = Set(filtered.map(\.item))
        #expect(!listed.contains(first) && !listed.contains(second))
    }

    @Test("at weight 1 it ranks as EASE, at weight 0 as iALS folded in")
    func endpoints() throws {
        let history: [(item: Int32, value: Float)] = [(1, 1), (4, 1), (8, 1)]
        let easeOnly = try Self.trained(weight: 1), alsOnly = try Self.trained(weight: 0)
        let blendEase = BlendServing(model: easeOnly).rank(history: history, candidates: 6, excluding: [], allowed: nil, reasonsPerItem: 0, choose: { $0 })
        #expect(
            blendEase.map(\.item)
                == easeOnly.ease.rank(history: history, candidates: 6, excluding: [], allowed: nil, reasonsPerItem: 0, choose: { $0 }).map(\.item))
        let blendALS = BlendServing(model: alsOnly).rank(history: history, candidates: 6, excluding: [], allowed: nil, reasonsPerItem: 0, choose: { $0 })
        let als = ALSServing(model: alsOnly.als, indexThreshold: .max)
        #expect(
            blendALS.map(\.item)
                == als.rank(history: history, candidates: 6, excluding: Set(history.map(\.item)), allowed: nil, reasonsPerItem: 0, choose: { $0 }).map(\.item))
    }

    @Test("a model file round-trips a blend, and refuses a weight outside 0…1 or parts that disagree")
    func modelFile() throws {
        let model = try Self.trained(weight: 0.3)
        let metadata = ModelMetadata(algorithm: "blend", createdAt: 1, users: (0..<30).map { "u\($0)" }, items: (0..<12).map { "i\($0)" })
        let (decoded, back) = try ModelFile.decode(ModelFile.encode(.blend(model), metadata: metadata))
        #expect(decoded == .blend(model))
        #expect(back == metadata)
        #expect(BlendServing(stored: decoded)?.model == model)
        let heavy = BlendModel(ease: model.ease, als: model.als, easeWeight: 2)
        #expect(throws: ModelFileError.self) { try ModelFile.check(.blend(heavy), metadata: metadata) }
        var fewer = metadata
        fewer.users.removeLast()
        #expect(throws: ModelFileError.self) { try ModelFile.check(.blend(model), metadata: fewer) }
        #expect(throws: ModelFileError.self) {
            try ModelFile.check(.blend(model), metadata: ModelMetadata(algorithm: "ease", createdAt: 1, users: metadata.users, items: metadata.items))
        }
    }

    @Test("erasure removes the people from both parts exactly as each part's own removal does")
    func erasure() throws {
        let model = try Self.trained(weight: 0.5)
        let data = Self.data()
        let removed: Set<Int> = [3, 7]
        let touched = Array(Set(removed.flatMap { data.row($0).indices })).sorted()
        func strengths(_ column: Int32) -> [(user: Int, value: Float)] {
            (0..<data.rows).compactMap { u in data.row(u).indices.contains(column) ? (u, 1) : nil }
        }
        guard
            case .patched(.blend(let patched), let resolved) = BlendServing.removingPeople(
                removed, from: .blend(model), resolving: touched, strengths: strengths),
            case .patched(.ease(let ease), _) = EASEModel.removingPeople(removed, from: .ease(model.ease), resolving: touched, strengths: strengths),
            case .patched(.als(let als), _) = ALSServing.removingPeople(removed, from: .als(model.als), resolving: touched, strengths: strengths)
        else {
            Issue.record("both parts patch")
            return
        }
        #expect(patched.ease == ease)
        #expect(patched.als == als)
        #expect(patched.easeWeight == 0.5)
        #expect(Set(resolved).isSuperset(of: touched))
        // EASE's part is what a retrain without them gives.
        let kept = SparseMatrix(
            rows: data.rows, columns: data.columns,
            triplets: (0..<data.rows).filter { !removed.contains($0) }.flatMap { u in
                data.row(u).indices.map { (Int32(u), $0, Float(1)) }
            })
        let retrained = try EASEModel.train(kept, configuration: model.ease.configuration)
        #expect(zip(retrained.weights, patched.ease.weights).allSatisfy { abs($0 - $1) < 1e-4 })
        // Served in place: the saved blend replaces the one in service.
        let replaced = try #require(BlendServing(model: model).patched(by: .blend(patched)))
        #expect((replaced.model as? BlendServing)?.model == patched)
        #expect(!replaced.changed.isEmpty)
    }
}
