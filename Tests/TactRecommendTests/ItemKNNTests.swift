import Foundation
import TactCore
import Testing

@testable import TactRecommend

@Suite struct ItemKNNTests {
    /// 3 people × 4 items. Item columns: i0 = (1, 1, 0), i1 = (2, 0, 1), i2 = (0, 1, 1), i3 = (0, 0, 1).
    static let tiny = SparseMatrix(
        rows: 3, columns: 4,
        triplets: [
            (0, 0, 1), (0, 1, 2),
            (1, 0, 1), (1, 2, 1),
            (2, 1, 1), (2, 2, 1), (2, 3, 1)
        ])

    /// Hand-computed cosines of the tiny matrix's item columns.
    static let cos01 = 2 / (2.0.squareRoot() * 5.0.squareRoot())  // 2 / √10
    static let cos02 = 0.5  // 1 / (√2 · √2)
    static let cos12 = 1 / (5.0.squareRoot() * 2.0.squareRoot())  // 1 / √10
    static let cos13 = 1 / 5.0.squareRoot()
    static let cos23 = 1 / 2.0.squareRoot()

    static func settings(_ weighting: ItemKNNConfiguration.Weighting = .cosine, neighbours: Int = 20, threads: Int = 1) -> ItemKNNConfiguration {
        var c = ItemKNNConfiguration()
        c.weighting = weighting
        c.neighbours = neighbours
        c.threads = threads
        return c
    }

    /// A deterministic random people × items matrix with values 1...5.
    static func randomMatrix(users: Int, items: Int, perUser: Int, seed: UInt64) -> SparseMatrix {
        var state = seed
        func next() -> UInt64 { state = state &* 6364136223846793005 &+ 1442695040888963407; return state >> 33 }
        var triplets: [(row: Int32, column: Int32, value: Float)] = []
        for u in 0..<users {
            for _ in 0..<(1 + Int(next() % UInt64(perUser))) {
                // Squaring skews toward low item numbers, so some items are popular.
                let r = Double(next() % 10_000) / 10_000
                triplets.append((Int32(u), Int32(Double(items) * r * r), Float(1 + next() % 5)))
            }
        }
        return SparseMatrix(rows: users, columns: items, triplets: triplets)
    }

    /// Checks one similarity row against expected (item, similarity) pairs in ascending item order.
    static func expectRow(_ m: SparseMatrix, _ i: Int, _ expected: [(Int32, Double)], sourceLocation: SourceLocation = #_sourceLocation) {
        let (indices, values) = m.row(i)
        #expect(Array(indices) == expected.map(\.0), sourceLocation: sourceLocation)
        for (v, e) in zip(values, expected) { #expect(abs(Double(v) - e.1) < 1e-5, sourceLocation: sourceLocation) }
    }

    @Test func cosineSimilaritiesMatchHandComputation() {
        let s = ItemKNNModel.train(Self.tiny, configuration: Self.settings()).similarity
        #expect(s.rows == 4 && s.columns == 4)
        // No self-similarity; items 0 and 3 share nobody, so neither lists the other.
        Self.expectRow(s, 0, [(1, Self.cos01), (2, Self.cos02)])
        Self.expectRow(s, 1, [(0, Self.cos01), (2, Self.cos12), (3, Self.cos13)])
        Self.expectRow(s, 2, [(0, Self.cos02), (1, Self.cos12), (3, Self.cos23)])
        Self.expectRow(s, 3, [(1, Self.cos13), (2, Self.cos23)])
    }

    @Test func neighboursAreTruncatedToK() {
        let one = ItemKNNModel.train(Self.tiny, configuration: Self.settings(neighbours: 1)).similarity
        #expect((0..<4).map { one.count(ofRow: $0) } == [1, 1, 1, 1])
        #expect(one.indices == [1, 0, 3, 2])
        let two = ItemKNNModel.train(Self.tiny, configuration: Self.settings(neighbours: 2)).similarity
        Self.expectRow(two, 1, [(0, Self.cos01), (3, Self.cos13)])  // drops item 2 (1/√10)
        Self.expectRow(two, 2, [(0, Self.cos02), (3, Self.cos23)])  // drops item 1 (1/√10)
        let none = ItemKNNModel.train(Self.tiny, configuration: Self.settings(neighbours: 0)).similarity
        #expect(none.nonZeros == 0 && none.rows == 4)
    }

    /// 3 people × 8 items; items 5...7 are never touched but still count in N.
    static let weighted = SparseMatrix(
        rows: 3, columns: 8,
        triplets: [
            (0, 0, 4), (0, 1, 1),
            (1, 0, 1), (1, 2, 9), (1, 3, 1),
            (2, 1, 2), (2, 2, 1), (2, 3, 1), (2, 4, 1)
        ])

    @Test func tfidfWeightMatchesHandComputation() {
        let w = ItemKNNModel.weightedItemUsers(Self.weighted, configuration: Self.settings(.tfidf))
        // idf(u) = log N − log(1 + n_u), N = 8 items; person 0 has 2 items, person 1 has 3.
        let raw00 = 4.0.squareRoot() * (log(8.0) - log(3.0))
        let raw01 = 1.0.squareRoot() * (log(8.0) - log(4.0))
        let expected = raw00 / (raw00 * raw00 + raw01 * raw01).squareRoot()  // item 0's row normalised
        #expect(abs(Double(w.value(row: 0, column: 0)) - expected) < 1e-5)
        #expect(abs(expected - 0.9429) < 1e-3)  // the formula itself, evaluated by hand
    }

    @Test func bm25WeightMatchesHandComputation() {
        let c = Self.settings(.bm25)
        let w = ItemKNNModel.weightedItemUsers(Self.weighted, configuration: c)
        // Item 2, person 1: x = 9; item lengths 5, 3, 10, 2, 1, 0, 0, 0 → mean 21/8.
        let k1 = 1.2, b = 0.75, x = 9.0
        let lengthNorm = (1 - b) + b * 10 / (21.0 / 8)
        let idf = log(8.0) - log(1.0 + 3)
        let expected = x * (k1 + 1) / (k1 * lengthNorm + x) * idf
        #expect(abs(Double(w.value(row: 2, column: 1)) - expected) < 1e-5)
        #expect(abs(expected - 1.0782) < 1e-3)
        // BM25 is not normalised: s(0, 2) is the plain product over their one shared person (1).
        let s = ItemKNNModel.train(Self.weighted, configuration: c).similarity
        let product = Double(w.value(row: 0, column: 1)) * Double(w.value(row: 2, column: 1))
        #expect(abs(Double(s.value(row: 0, column: 2)) - product) < 1e-5)
        #expect(product > 0)
    }

    @Test func recommendRanksBySummedSimilarityAndFilters() {
        let model = ItemKNNModel.train(Self.tiny, configuration: Self.settings())
        let history: [(item: Int32, value: Float)] = [(0, 1), (3, 1)]
        let recs = model.recommend(history: history, k: 10)
        #expect(recs.map(\.item) == [2, 1])  // history items 0 and 3 never come back
        #expect(abs(Double(recs[0].score) - (Self.cos02 + Self.cos23)) < 1e-5)
        #expect(abs(Double(recs[1].score) - (Self.cos01 + Self.cos13)) < 1e-5)
        #expect(model.recommend(history: history, k: 1).map(\.item) == [2])
        #expect(model.recommend(history: history, k: 10, excluding: [2]).map(\.item) == [1])
        #expect(model.recommend(history: history, k: 10, allowed: { $0 != 2 }).map(\.item) == [1])
        #expect(model.recommend(history: history, k: 0).isEmpty)
        // Values weight the sum: item 0 counted 3 times outweighs item 3.
        let heavy = model.recommend(history: [(0, 3), (3, 1)], k: 10)
        #expect(heavy.map(\.item) == [1, 2])
        #expect(abs(Double(heavy[0].score) - (3 * Self.cos01 + Self.cos13)) < 1e-5)
        // Only items reached through a neighbour are candidates.
        #expect(model.recommend(history: [(0, 1)], k: 10).map(\.item) == [1, 2])
        #expect(model.recommend(history: [], k: 10).isEmpty)
    }

    @Test func reasonsNameTheLargestContributors() {
        let model = ItemKNNModel.train(Self.tiny, configuration: Self.settings())
        let recs = model.recommend(history: [(0, 1), (3, 1)], k: 10)
        let total = Self.cos02 + Self.cos23
        guard recs.count == 2, recs[0].reasons.count == 2,
            case .becauseOf(let first, let firstShare) = recs[0].reasons[0],
            case .becauseOf(let second, let secondShare) = recs[0].reasons[1]
        else {
            Issue.record("expected two because-of reasons, got \(recs)")
            return
        }
        #expect(first == 3 && second == 0)  // 1/√2 from item 3 beats 0.5 from item 0
        #expect(abs(Double(firstShare) - Self.cos23 / total) < 1e-5)
        #expect(abs(Double(secondShare) - Self.cos02 / total) < 1e-5)
    }

    @Test func reasonsOnALargerHistory() {
        let m = Self.randomMatrix(users: 300, items: 80, perUser: 12, seed: 3)
        let model = ItemKNNModel.train(m, configuration: Self.settings(neighbours: 30))
        let history: [(item: Int32, value: Float)] = [(0, 1), (2, 3), (5, 1), (9, 2), (14, 1), (30, 4), (51, 1)]
        let recs = model.recommend(history: history, k: 15)
        #expect(recs.count == 15)
        // Brute force: every other item's score, Σ value × kept similarity.
        func score(_ j: Int) -> Float {
            history.reduce(0) { $0 + $1.value * model.similarity.value(row: Int($1.item), column: j) }
        }
        let historyItems = Set(history.map { Int($0.item) })
        let brute = (0..<80).filter { !historyItems.contains($0) && score($0) > 0 }
            .sorted { score($0) != score($1) ? score($0) > score($1) : $0 < $1 }
        #expect(recs.map(\.item) == Array(brute.prefix(15)))
        var mostContributors = 0
        for r in recs {
            #expect(abs(r.score - score(r.item)) < 1e-4)
            let reasons = r.reasons.compactMap { reason -> (item: Int, share: Float)? in
                if case .becauseOf(let item, let share) = reason { return (item, share) } else { return nil }
            }
            let contributors = history.filter { $0.value * model.similarity.value(row: Int($0.item), column: r.item) > 0 }.count
            mostContributors = max(mostContributors, contributors)
            #expect(reasons.count == r.reasons.count && reasons.count == min(3, contributors))
            #expect(reasons.allSatisfy { historyItems.contains($0.item) && $0.share > 0 })
            #expect(reasons.map(\.share).reduce(0, +) <= 1 + 1e-5)
            #expect(zip(reasons, reasons.dropFirst()).allSatisfy { $0.share >= $1.share })
            // The top reason is the history item with the largest value × similarity.
            let largest = history.max { a, b in
                a.value * model.similarity.value(row: Int(a.item), column: r.item) < b.value * model.similarity.value(row: Int(b.item), column: r.item)
            }!
            #expect(reasons.first?.item == Int(largest.item))
            let largestAmount = largest.value * model.similarity.value(row: Int(largest.item), column: r.item)
            #expect(abs((reasons.first?.share ?? 0) - largestAmount / r.score) < 1e-4)
        }
        #expect(mostContributors >= 4)  // so the cut to three reasons is exercised
    }

    @Test func cosineAgreesWithDenseComputation() {
        let m = Self.randomMatrix(users: 200, items: 60, perUser: 10, seed: 11)
        let k = 5
        let s = ItemKNNModel.train(m, configuration: Self.settings(neighbours: k, threads: 2)).similarity
        // Dense item columns in Double.
        var columns = [[Double]](repeating: [Double](repeating: 0, count: m.rows), count: m.columns)
        for u in 0..<m.rows {
            for (i, x) in zip(m.row(u).indices, m.row(u).values) { columns[Int(i)][u] = Double(x) }
        }
        func cosine(_ a: Int, _ b: Int) -> Double {
            let dot = zip(columns[a], columns[b]).map(*).reduce(0, +)
            let na = columns[a].map { $0 * $0 }.reduce(0, +).squareRoot(), nb = columns[b].map { $0 * $0 }.reduce(0, +).squareRoot()
            return na > 0 && nb > 0 ? dot / (na * nb) : 0
        }
        for i in 0..<m.columns {
            let (indices, values) = s.row(i)
            let positive = (0..<m.columns).filter { $0 != i && cosine(i, $0) > 1e-9 }
            #expect(indices.count == min(k, positive.count))
            #expect(!indices.contains(Int32(i)))
            for (j, v) in zip(indices, values) { #expect(abs(Double(v) - cosine(i, Int(j))) < 1e-5) }
            let weakestKept = values.map(Double.init).min() ?? 0
            for j in positive where !indices.contains(Int32(j)) { #expect(cosine(i, j) <= weakestKept + 1e-5) }
        }
    }

    @Test(arguments: ItemKNNConfiguration.Weighting.allCases)
    func deterministicAcrossThreadCounts(_ weighting: ItemKNNConfiguration.Weighting) {
        let m = Self.randomMatrix(users: 400, items: 150, perUser: 15, seed: 5)
        let models = [1, 3, 8].map { ItemKNNModel.train(m, configuration: Self.settings(weighting, neighbours: 7, threads: $0)) }
        #expect(models[0].similarity.nonZeros > 0)
        #expect(models[0].similarity == models[1].similarity)
        #expect(models[0].similarity == models[2].similarity)
    }

    @Test func similarItemsAreTheKeptNeighboursBestFirst() {
        let model = ItemKNNModel.train(Self.tiny, configuration: Self.settings())
        let similar = model.similarItems(to: 1, k: 2)
        #expect(similar.map(\.item) == [0, 3])
        #expect(abs(Double(similar[0].similarity) - Self.cos01) < 1e-5)
        #expect(model.similarItems(to: 2, k: 10).map(\.item) == [3, 0, 1])
        #expect(model.similarItems(to: 4, k: 10).isEmpty)
        #expect(model.similarItems(to: -1, k: 10).isEmpty)
    }

    @Test func defaultsAreImplicitsRecommenderDefaults() throws {
        let c = ItemKNNConfiguration()
        #expect(c.weighting == .cosine && c.neighbours == 20 && c.bm25K1 == 1.2 && c.bm25B == 0.75 && c.threads == 0)
        var changed = c
        changed.weighting = .bm25
        let decoded = try JSONDecoder().decode(ItemKNNConfiguration.self, from: JSONEncoder().encode(changed))
        #expect(decoded == changed)
    }
}
