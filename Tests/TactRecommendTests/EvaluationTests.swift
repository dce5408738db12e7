import Foundation
import TactCore
import Testing

@testable import TactRecommend

/// A matrix whose row r holds `rows[r]` (columns), every value 1 unless `values` gives them.
private func matrix(_ rows: [[Int32]], columns: Int, values: [[Float]]? = nil) -> SparseMatrix {
    var triplets: [(row: Int32, column: Int32, value: Float)] = []
    for (r, cols) in rows.enumerated() {
        for (i, c) in cols.enumerated() { triplets.append((Int32(r), c, values?[r][i] ?? 1)) }
    }
    return SparseMatrix(rows: rows.count, columns: columns, triplets: triplets)
}

/// The columns of row r.
private func columns(_ m: SparseMatrix, _ r: Int) -> [Int32] { Array(m.row(r).indices) }

private func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) < 1e-9 }

@Suite struct RankingMetricsTests {
    // 10 items, k = 3. L = 1/log2(3) ≈ 0.6309297535714575 is the discount at rank 2; rank 1 is 1, rank 3 is 1/2.
    //
    // user 0: train {0,1}, test {2,5}, recs [2,3,5]: hits at ranks 1 and 3.
    //   min(k,|T|)=2. AP = (1/1 + 2/3)/2 = 5/6. DCG = 1 + 1/2 = 1.5, IDCG = 1 + L → 1.5/(1+L) ≈ 0.9197207891.
    //   AUC: pos 2, neg 8; rank 1 hit (hit 1), rank 2 miss (miss 1, auc += 1), rank 3 hit (hit 2);
    //   auc += (2+2)/2 · (8−1) = 14 → 15/(2·8) = 15/16. recall 2/2 = 1. hit: yes.
    // user 1: train {3}, no test items: not evaluated. Its recs [1,6,8] would raise coverage if counted.
    // user 2: train {2}, test {0,1,4,6,7} (more than k), recs [4,3,0]: hits at ranks 1 and 3.
    //   min(k,|T|)=3. AP = (1 + 2/3)/3 = 5/9. IDCG = 1 + L + 1/2 → 1.5/(1.5+L) ≈ 0.7039180890.
    //   AUC: pos 5, neg 5; auc = 1 + (2+5)/2 · (5−1) = 15 → 15/25 = 3/5. recall 2/5. hit: yes.
    // user 3: train {}, test {8}, recs [7] (fewer than k): no hit.
    //   min=1. AP 0, NDCG 0. AUC: pos 1, neg 9; three misses with hit 0 → auc = (0+1)/2 · (9−3) = 3 → 3/9 = 1/3.
    //   recall 0. hit: no.
    // user 4: train {5}, test {9,3}, recs [9] (fewer than k): hit at rank 1.
    //   min=2. AP = 1/2. NDCG = 1/(1+L) ≈ 0.6131471928.
    //   AUC: pos 2, neg 8; rank 1 hit, two padded misses (auc += 1 twice) → 2 + (1+2)/2 · (8−2) = 11 → 11/16.
    //   recall 1/2. hit: yes.
    //
    // users = 4
    // precision = (2+2+0+1)/(2+3+1+2) = 5/8             (not the mean of per-user hits/k, which is 5/12)
    // map       = (5/6 + 5/9 + 0 + 1/2)/4 = 17/36
    // ndcg      = (1.5/(1+L) + 1.5/(1.5+L) + 0 + 1/(1+L))/4 ≈ 0.5591965177
    // auc       = (15/16 + 3/5 + 1/3 + 11/16)/4 = 307/480
    // recall    = (1 + 2/5 + 0 + 1/2)/4 = 0.475
    // hitRate   = 3/4
    // coverage  = |{2,3,5} ∪ {4,3,0} ∪ {7} ∪ {9}| / 10 = 7/10
    static let train = matrix([[0, 1], [3], [2], [], [5]], columns: 10)
    static let test = matrix([[2, 5], [], [0, 1, 4, 6, 7], [8], [9, 3]], columns: 10)
    static let recs: [[Int32]] = [[2, 3, 5], [1, 6, 8], [4, 3, 0], [7], [9]]

    @Test func handComputedExample() {
        let m = RankingMetrics.evaluate(k: 3, train: Self.train, test: Self.test) { u, k in
            #expect(k == 3)
            return Self.recs[u]
        }
        let l = 1 / log2(3.0)
        #expect(m.k == 3)
        #expect(m.users == 4)
        #expect(close(m.precision, 5.0 / 8))
        #expect(close(m.map, 17.0 / 36))
        #expect(close(m.ndcg, (1.5 / (1 + l) + 1.5 / (1.5 + l) + 1 / (1 + l)) / 4))
        #expect(close(m.ndcg, 0.5591965177369451))
        #expect(close(m.auc, 307.0 / 480))
        #expect(close(m.recall, 0.475))
        #expect(close(m.hitRate, 0.75))
        #expect(close(m.coverage, 0.7))
    }

    @Test func resultsDoNotDependOnThreadCount() {
        // 300 copies of the example's five users: several chunks of work.
        let copies = 300
        let train = matrix(Array((0..<copies).map { _ in [[0, 1], [3], [2], [], [5]] as [[Int32]] }.joined()), columns: 10)
        let test = matrix(Array((0..<copies).map { _ in [[2, 5], [], [0, 1, 4, 6, 7], [8], [9, 3]] as [[Int32]] }.joined()), columns: 10)
        let recs = Self.recs
        let one = RankingMetrics.evaluate(k: 3, train: train, test: test, threads: 1) { u, _ in recs[u % 5] }
        let many = RankingMetrics.evaluate(k: 3, train: train, test: test, threads: 4) { u, _ in recs[u % 5] }
        #expect(one == many)
        #expect(one.users == 4 * copies)
        #expect(close(one.precision, 5.0 / 8))
        #expect(close(one.map, 17.0 / 36))
        #expect(close(one.auc, 307.0 / 480))
        #expect(close(one.coverage, 0.7))
    }

    @Test func trainItemsAndExtraItemsAreDropped() {
        // user 0 again, but the recommender also returns a train item (0), an out-of-range item (12) and too many items.
        // Dropping 0 and 12 leaves [2,3,5,6]; the first k = 3 are the example's [2,3,5].
        // precision 2/2 = 1; AP = 5/6; AUC 15/16; coverage 3/10.
        let train = matrix([[0, 1]], columns: 10), test = matrix([[2, 5]], columns: 10)
        let m = RankingMetrics.evaluate(k: 3, train: train, test: test) { _, _ in [0, 2, 12, 3, 5, 6] }
        #expect(m.users == 1)
        #expect(close(m.precision, 1))
        #expect(close(m.map, 5.0 / 6))
        #expect(close(m.auc, 15.0 / 16))
        #expect(close(m.coverage, 0.3))
    }

    @Test func kOfOneAndAPerfectList() {
        // 4 items, k = 1. user 0: test {1,2}, recs [2]: hit. min(1,2) = 1 → precision 1/1, AP 1/1, NDCG 1/1.
        //   AUC: pos 2, neg 2; no misses → auc = (1+2)/2 · 2 = 3 → 3/4. recall 1/2.
        // user 1: test {3}, recs [0]: miss. AP 0, NDCG 0. AUC: pos 1, neg 3; one miss with hit 0 → (0+1)/2 · 2 = 1 → 1/3.
        // precision = 1/2, map = 1/2, ndcg = 1/2, auc = (3/4 + 1/3)/2 = 13/24, recall = 1/4, hitRate 1/2, coverage 2/4.
        let train = matrix([[], []], columns: 4), test = matrix([[1, 2], [3]], columns: 4)
        let m = RankingMetrics.evaluate(k: 1, train: train, test: test) { u, _ in u == 0 ? [2] : [0] }
        #expect(m.users == 2)
        #expect(close(m.precision, 0.5))
        #expect(close(m.map, 0.5))
        #expect(close(m.ndcg, 0.5))
        #expect(close(m.auc, 13.0 / 24))
        #expect(close(m.recall, 0.25))
        #expect(close(m.hitRate, 0.5))
        #expect(close(m.coverage, 0.5))
    }

    @Test func noUsersWithTestItems() {
        let m = RankingMetrics.evaluate(k: 5, train: matrix([[0]], columns: 3), test: matrix([[]], columns: 3)) { _, _ in [1, 2] }
        #expect(m == RankingMetrics(k: 5, precision: 0, recall: 0, ndcg: 0, map: 0, auc: 0, hitRate: 0, coverage: 0, users: 0))
    }

    @Test func aucWhenTestCoversEveryItem() {
        // 2 items, both in test: no negatives, implicit would divide by zero; Tact counts AUC 1.
        let m = RankingMetrics.evaluate(k: 2, train: matrix([[]], columns: 2), test: matrix([[0, 1]], columns: 2)) { _, _ in [1, 0] }
        #expect(close(m.auc, 1))
        #expect(close(m.precision, 1))
        #expect(close(m.ndcg, 1))
    }
}

@Suite struct EvaluationSplitTests {
    /// Every stored cell of `m` is in exactly one of train and test, with its value, and the shapes match.
    private func partitions(_ m: SparseMatrix, _ train: SparseMatrix, _ test: SparseMatrix) -> Bool {
        guard train.rows == m.rows, test.rows == m.rows, train.columns == m.columns, test.columns == m.columns else { return false }
        for r in 0..<m.rows {
            let a = Set(columns(train, r)), b = Set(columns(test, r))
            guard a.isDisjoint(with: b), a.union(b) == Set(columns(m, r)), a.count + b.count == m.count(ofRow: r) else { return false }
            for c in a.union(b) {
                let kept = a.contains(c) ? train.value(row: r, column: Int(c)) : test.value(row: r, column: Int(c))
                guard kept == m.value(row: r, column: Int(c)) else { return false }
            }
        }
        return true
    }

    /// 40 users with 0...39 interactions each, over 50 items, with distinct values.
    private func sample() -> SparseMatrix {
        let rows = (0..<40).map { r in (0..<r).map { Int32(($0 * 7 + r) % 50) } }
        let values = rows.enumerated().map { r, cols in cols.indices.map { Float(r * 100 + $0) } }
        return matrix(rows, columns: 50, values: values)
    }

    @Test func randomPerUserIsDeterministicAndPartitions() {
        let m = sample()
        let a = EvaluationSplit.randomPerUser(m, testFraction: 0.3, seed: 7)
        let b = EvaluationSplit.randomPerUser(m, testFraction: 0.3, seed: 7)
        let c = EvaluationSplit.randomPerUser(m, testFraction: 0.3, seed: 8)
        #expect(a.train == b.train && a.test == b.test)
        #expect(a.test != c.test)
        #expect(partitions(m, a.train, a.test))
        #expect(partitions(m, c.train, c.test))
    }

    @Test func randomPerUserFractions() {
        let m = sample()
        let split = EvaluationSplit.randomPerUser(m, testFraction: 0.25, seed: 1)
        for r in 0..<m.rows {
            // floor(n · 0.25), at least 1 when n ≥ 2: n=0 → 0, n=1 → 0, n=2 → 1, n=7 → 1, n=8 → 2, n=39 → 9.
            let expected = r >= 2 ? max(1, r / 4) : 0
            #expect(split.test.count(ofRow: r) == expected, "user \(r)")
            #expect(split.train.count(ofRow: r) == r - expected, "user \(r)")
        }
        #expect(split.test.count(ofRow: 10) == 2)  // floor(2.5)
        #expect(split.test.count(ofRow: 1) == 0)  // a single interaction stays in train
        // A fraction close to 1 still leaves one interaction in train.
        let most = EvaluationSplit.randomPerUser(m, testFraction: 0.99, seed: 1)
        #expect(most.test.count(ofRow: 39) == 38)
        #expect(most.train.count(ofRow: 39) == 1)
        #expect(most.test.count(ofRow: 2) == 1)
    }

    @Test("stratified holds out n − round-half-even(0.75 n), as Microsoft Recommenders' python_stratified_split")
    func stratifiedFractions() {
        let m = sample()
        let split = EvaluationSplit.stratified(m, testFraction: 0.25, seed: 1)
        // Counts worked by hand with Python's round(): n=1 → round(0.75)=1 kept, 0 held; n=2 → round(1.5)=2, 0 held;
        // n=3 → round(2.25)=2, 1 held; n=6 → round(4.5)=4, 2 held; n=10 → round(7.5)=8, 2 held; n=22 → round(16.5)=16, 6 held;
        // n=39 → round(29.25)=29, 10 held. (The random split holds out 0, 1, 0, 1, 2, 5, 9 of these.)
        for (n, held) in [(0, 0), (1, 0), (2, 0), (3, 1), (6, 2), (10, 2), (22, 6), (39, 10)] {
            #expect(split.test.count(ofRow: n) == held, "user with \(n) items")
            #expect(split.train.count(ofRow: n) == n - held, "user with \(n) items")
        }
        #expect(partitions(m, split.train, split.test))
        let again = EvaluationSplit.stratified(m, testFraction: 0.25, seed: 1), other = EvaluationSplit.stratified(m, testFraction: 0.25, seed: 2)
        #expect(again.test == split.test && other.test != split.test)
    }

    @Test func randomPerUserPinnedSelection() {
        // Expected values come from an independent Python reimplementation of the same procedure:
        // SplitMix64(seed 42), then per user a partial Fisher–Yates over the row's positions with
        // Lemire's bounded draws; the first floor(n · 0.5) positions go to test.
        let m = matrix([[0, 1, 2, 3, 4, 5], [1, 3, 5, 7], [2]], columns: 8)
        let split = EvaluationSplit.randomPerUser(m, testFraction: 0.5, seed: 42)
        #expect(columns(split.test, 0) == [1, 3, 4])
        #expect(columns(split.test, 1) == [1, 3])
        #expect(columns(split.test, 2) == [])
        #expect(columns(split.train, 0) == [0, 2, 5])
        #expect(columns(split.train, 2) == [2])
        let other = EvaluationSplit.randomPerUser(m, testFraction: 0.5, seed: 43)
        #expect(columns(other.test, 0) == [0, 3, 4])
        #expect(columns(other.test, 1) == [3, 7])
    }

    @Test func leaveLastNPicksTheLatest() {
        // user 0: columns 0,2,4,6 at times 40,10,30,20 → latest two: column 0 (40) and column 4 (30).
        // user 1: columns 1,3,5 at times 5,9,9 → 3 and 5 tie at 9: the higher column (5) is later,
        //         so the latest two are 5 and 3; n = 1 would pick 5.
        // user 2: two interactions: not more than n = 2, so all stay in train.
        // user 3: none.
        let m = matrix([[0, 2, 4, 6], [1, 3, 5], [2, 7], []], columns: 8, values: [[1, 2, 3, 4], [5, 6, 7], [8, 9], []])
        let times: [Int64] = [40, 10, 30, 20, 5, 9, 9, 1, 2]
        let two = EvaluationSplit.leaveLastN(m, timestamps: times, n: 2)
        #expect(columns(two.test, 0) == [0, 4])
        #expect(columns(two.train, 0) == [2, 6])
        #expect(columns(two.test, 1) == [3, 5])
        #expect(columns(two.train, 1) == [1])
        #expect(columns(two.test, 2) == [])
        #expect(columns(two.train, 2) == [2, 7])
        #expect(two.test.count(ofRow: 3) == 0 && two.train.count(ofRow: 3) == 0)
        #expect(two.test.value(row: 0, column: 4) == 3)
        #expect(partitions(m, two.train, two.test))

        let one = EvaluationSplit.leaveLastN(m, timestamps: times, n: 1)
        #expect(columns(one.test, 0) == [0])
        #expect(columns(one.test, 1) == [5])
        #expect(columns(one.test, 2) == [7])  // time 2 > time 1
        #expect(columns(one.train, 2) == [2])
        #expect(partitions(m, one.train, one.test))
    }
}
