import Foundation
import TactCore
import Testing

@testable import TactRecommend

@Suite("EASE")
struct EASETests {
    /// People × items, every value 1 unless given.
    static func matrix(_ rows: [[Int32]], columns: Int) -> SparseMatrix {
        SparseMatrix(rows: rows.count, columns: columns, triplets: rows.enumerated().flatMap { r, cols in cols.map { (Int32(r), $0, Float(1)) } })
    }

    static let people: [[Int32]] = [[0, 1, 2], [0, 1], [1, 2, 3], [3, 4], [0, 4], [2, 3, 4], [0, 1, 3], [1, 4]]

    /// B computed independently, in Double: G from the rows, (G + λI)⁻¹ by Gauss–Jordan with partial pivoting.
    static func reference(_ rows: [[Int32]], n: Int, lambda: Double) -> [Double] {
        var a = [Double](repeating: 0, count: n * n)
        for row in rows { for i in row { for j in row { a[Int(i) * n + Int(j)] += 1 } } }
        for i in 0..<n { a[i * n + i] += lambda }
        var inv = [Double](repeating: 0, count: n * n)
        for i in 0..<n { inv[i * n + i] = 1 }
        for c in 0..<n {
            let p = (c..<n).max { abs(a[$0 * n + c]) < abs(a[$1 * n + c]) }!
            for j in 0..<n { a.swapAt(c * n + j, p * n + j); inv.swapAt(c * n + j, p * n + j) }
            let d = a[c * n + c]
            for j in 0..<n { a[c * n + j] /= d; inv[c * n + j] /= d }
            for r in 0..<n where r != c {
                let f = a[r * n + c]
                for j in 0..<n { a[r * n + j] -= f * a[c * n + j]; inv[r * n + j] -= f * inv[c * n + j] }
            }
        }
        return (0..<(n * n)).map { k in k / n == k % n ? 0 : -inv[k] / inv[(k % n) * n + k % n] }
    }

    @Test("the weights are B = I − P·diag(1/diag P) with P = (XᵀX + λI)⁻¹, as an independent Double computation gives")
    func matchesReference() throws {
        for lambda in [0.5, 3.0, 50.0] {
            let model = try EASEModel.train(Self.matrix(Self.people, columns: 5), configuration: EASEConfiguration(regularization: Float(lambda), threads: 2))
            let expected = Self.reference(Self.people, n: 5, lambda: lambda)
            for k in 0..<25 { #expect(abs(Double(model.weights[k]) - expected[k]) < 1e-5, "λ \(lambda), cell \(k)") }
            for i in 0..<5 { #expect(model.weights[i * 5 + i] == 0) }
        }
    }

    @Test("the inverse of a random positive definite matrix: A·A⁻¹ = I, and the same bits on 1 or 3 threads")
    func inverse() {
        let n = 70
        var random = SplitMix64(seed: 5)
        var m = [Float](repeating: 0, count: n * n)
        for k in m.indices { m[k] = Float(random.next() % 1000) / 1000 - 0.5 }
        var a = [Float](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0..<n { a[i * n + j] = (0..<n).reduce(0) { $0 + m[i * n + $1] * m[j * n + $1] } + (i == j ? 1 : 0) } }
        var one = a, three = a
        #expect(one.withUnsafeMutableBufferPointer { SymmetricInverse.invert($0.baseAddress!, n: n, threads: 1) })
        #expect(three.withUnsafeMutableBufferPointer { SymmetricInverse.invert($0.baseAddress!, n: n, threads: 3) })
        #expect(one == three)
        var worst: Float = 0
        for i in 0..<n {
            for j in 0..<n {
                let v = (0..<n).reduce(Float(0)) { $0 + a[i * n + $1] * one[$1 * n + j] }
                worst = max(worst, abs(v - (i == j ? 1 : 0)))
            }
        }
        #expect(worst < 1e-3, "largest error \(worst)")
        var indefinite = [Float](repeating: 0, count: 4)
        indefinite[0] = 1; indefinite[3] = -1
        #expect(!indefinite.withUnsafeMutableBufferPointer { SymmetricInverse.invert($0.baseAddress!, n: 2, threads: 1) })
    }

    @Test("erasure is exact: removing people gives the model trained without them")
    func erasureIsExact() throws {
        let configuration = EASEConfiguration(regularization: 2, threads: 1)
        let all = Self.matrix(Self.people, columns: 5)
        let model = try EASEModel.train(all, configuration: configuration)
        // The erasure path: the people's rows, the items they touched, each item's holders as the data has them.
        let touched = Array(Set(Self.people[2] + Self.people[5])).sorted()
        let holders: (Int32) -> [(user: Int, value: Float)] = { c in Self.people.indices.filter { Self.people[$0].contains(c) }.map { (user: $0, value: 1) } }
        guard case .patched(.ease(let removed), let resolved) = EASEModel.removingPeople([2, 5], from: .ease(model), resolving: touched, strengths: holders)
        else {
            Issue.record("EASE must patch an erasure exactly")
            return
        }
        #expect(resolved == touched)
        let without = try EASEModel.train(
            Self.matrix(Self.people.enumerated().filter { ![2, 5].contains($0.offset) }.map(\.element), columns: 5),
            configuration: configuration)
        #expect(removed.gram == without.gram)
        for k in 0..<25 { #expect(abs(removed.weights[k] - without.weights[k]) < 1e-5, "cell \(k)") }
        #expect(removed.weights != model.weights)
    }

    @Test("recommendations: scores are the history rows of B summed, never the history or an excluded item, reasons share what they add")
    func recommends() throws {
        let model = try EASEModel.train(Self.matrix(Self.people, columns: 5), configuration: EASEConfiguration(regularization: 1))
        let history: [Int32] = [0, 1, 1]
        let scores = model.scores(history: history)
        for j in 0..<5 { #expect(abs(scores[j] - (model.weights[j] + model.weights[5 + j])) < 1e-6) }
        let list = model.recommend(history: history, k: 5, excluding: [4])
        #expect(list.map(\.item).allSatisfy { ![0, 1, 4].contains($0) })
        #expect(list.count == 2)
        #expect(zip(list, list.dropFirst()).allSatisfy { $0.score >= $1.score })
        for r in list {
            let shares = r.reasons.compactMap { if case .becauseOf(let item, let share) = $0 { (item, share) } else { nil } }
            #expect(shares.allSatisfy { [0, 1].contains($0.0) && $0.1 > 0 })
            #expect(shares.reduce(0) { $0 + $1.1 } <= 1.0001)
        }
        #expect(model.recommend(history: [0], k: 3, allowed: { $0 != 2 }).allSatisfy { $0.item != 2 })
        let similar = model.similarItems(to: 3, k: 2)
        #expect(similar.count <= 2 && similar.allSatisfy { $0.item != 3 && $0.similarity > 0 })
    }

    @Test("a catalog past the limit is refused with the reason and what to train instead; λ ≤ 0 too")
    func refusals() {
        let wide = Self.matrix([[0, 9]], columns: 10)
        #expect(throws: EASEError.tooManyItems(items: 10, maximum: 9)) { try EASEModel.train(wide, configuration: EASEConfiguration(maximumItems: 9)) }
        #expect(EASEError.tooManyItems(items: 10, maximum: 9).description.contains("item-kNN or iALS"))
        #expect(throws: EASEError.notPositiveDefinite) { try EASEModel.train(wide, configuration: EASEConfiguration(regularization: 0)) }
    }

    @Test("a model file round-trips an EASE model bit for bit, and a header that disagrees with the arrays is refused")
    func modelFile() throws {
        let model = try EASEModel.train(Self.matrix(Self.people, columns: 5), configuration: EASEConfiguration(regularization: 2, threads: 1))
        let metadata = ModelMetadata(algorithm: "ease", createdAt: 1, users: (0..<8).map { "u\($0)" }, items: (0..<5).map { "i\($0)" })
        let bytes = ModelFile.encode(.ease(model), metadata: metadata)
        let (decoded, back) = try ModelFile.decode(bytes)
        #expect(decoded == .ease(model))
        #expect(back.items == metadata.items)
        var fewer = metadata
        fewer.items.removeLast()
        #expect(throws: ModelFileError.self) { try ModelFile.check(.ease(model), metadata: fewer) }
        // Served through the protocol: the same list as the model's own, reasons that share the score.
        let served: any RecommenderModel = try #require(EASEModel(stored: decoded))
        let ranked = served.rank(history: [(0, 1), (1, 1)], candidates: 3, excluding: [], allowed: nil, reasonsPerItem: 2, choose: { $0 })
        #expect(ranked.map(\.item) == model.recommend(history: [0, 1], k: 3).map { Int32($0.item) })
        #expect(ranked.allSatisfy { $0.reasons.count <= 2 && $0.reasons.allSatisfy { [0, 1].contains($0.item) } })
        let parts = try #require(served.contributions(history: [(0, 1), (1, 1)], to: 3))
        #expect(abs(parts.score - model.scores(history: [0, 1])[3]) < 1e-6)
    }
}
