import Foundation
import TactCore
import TactPrivacy
import Testing

@testable import TactRecommend

/// The sensitivity harness for the releases that bound contributions with `ContributionBound`: on
/// random datasets, one person is removed or added — the first row and the last — and the statistic
/// before noise must move by at most the sensitivity the noise is calibrated to. A person's sample of
/// items that depended on anyone else (row order, a shared random stream) would move it further.
@Suite struct ContributionSensitivityTests {
    /// A random dataset as rows of distinct items: lengths from 1 to 3c, so many people are over the bound.
    static func randomRows(people: Int, items: Int, bound: Int, seed: UInt64) -> [[Int32]] {
        var random = SplitMix64(seed: seed)
        return (0..<people).map { _ in
            let length = 1 + Int(random.next(below: UInt64(min(items, 3 * bound))))
            var chosen = Set<Int32>()
            while chosen.count < length { chosen.insert(Int32(random.next(below: UInt64(items)))) }
            return chosen.sorted()
        }
    }

    static func matrix(_ rows: [[Int32]], items: Int) -> SparseMatrix {
        var triplets: [(row: Int32, column: Int32, value: Float)] = []
        for (r, row) in rows.enumerated() { for i in row { triplets.append((Int32(r), i, 1)) } }
        return SparseMatrix(rows: rows.count, columns: items, triplets: triplets)
    }

    /// Timestamps for a matrix's stored cells, a function of (row content, item) only, so that the same
    /// person keeps the same times wherever their row is.
    static func timestamps(_ m: SparseMatrix, now: Int64) -> [Int64] {
        var times: [Int64] = []
        for r in 0..<m.rows {
            let items = m.row(r).indices
            var h = SplitMix64(seed: items.reduce(0xC0FFEE) { $0 &* 31 &+ UInt64($1) })
            for _ in items { times.append(now - Int64(h.next(below: 60 * 86_400))) }
        }
        return times
    }

    /// Neighbours of a dataset: without its first person, without its last, with a new person first, with one last.
    static func neighbours(_ rows: [[Int32]], newcomer: [Int32]) -> [(name: String, rows: [[Int32]])] {
        [
            ("first removed", Array(rows.dropFirst())), ("last removed", Array(rows.dropLast())),
            ("added first", [newcomer] + rows), ("added last", rows + [newcomer])
        ]
    }

    static func norms(_ a: [Int64], _ b: [Int64]) -> (l1: Double, l2: Double) {
        var l1 = 0.0, l2 = 0.0
        for (x, y) in zip(a, b) { let d = Double(x - y); l1 += abs(d); l2 += d * d }
        return (l1, l2.squareRoot())
    }

    /// Runs `statistic` on random datasets and their neighbours and checks the ℓ₁ and ℓ₂ moves.
    static func check(bound: Int, l1: Double, l2: Double, statistic: (SparseMatrix) -> [Int64]) {
        let items = 60
        var worst = (l1: 0.0, l2: 0.0)
        for trial in 0..<12 {
            let rows = randomRows(people: 90, items: items, bound: bound, seed: 100 + UInt64(trial))
            let newcomer = randomRows(people: 1, items: items, bound: bound, seed: 900 + UInt64(trial))[0]
            let base = statistic(matrix(rows, items: items))
            for (name, neighbour) in neighbours(rows, newcomer: newcomer) {
                let moved = norms(base, statistic(matrix(neighbour, items: items)))
                worst = (max(worst.l1, moved.l1), max(worst.l2, moved.l2))
                #expect(moved.l2 <= l2 + 1e-9, "trial \(trial), \(name): ℓ₂ move \(moved.l2) > \(l2)")
                #expect(moved.l1 <= l1 + 1e-9, "trial \(trial), \(name): ℓ₁ move \(moved.l1) > \(l1)")
            }
        }
        // The harness can see a move: someone over the bound counts exactly c items.
        #expect(worst.l1 == l1, "the largest ℓ₁ move \(worst.l1) should reach the bound \(l1)")
    }

    @Test("DP-ALS's item counts move by at most √c (ℓ₂) when one person, first or last, is removed or added")
    func privateALSCounts() {
        var c = PrivateALSConfiguration()
        c.maxItemsPerPerson = 10
        Self.check(bound: 10, l1: 10, l2: 10.0.squareRoot()) { m in
            let bounded = PrivateALS.boundedContributions(m, configuration: c, noise: .seeded(7))
            return PrivateALS.itemCounts(bounded.transposed())
        }
    }

    @Test("DP popularity's totals move by at most √c (ℓ₂) and c (ℓ₁) when one person, first or last, is removed or added")
    func popularityTotals() {
        Self.check(bound: 8, l1: 8, l2: 8.0.squareRoot()) { m in
            PrivatePopularity.totals(m, timestamps: nil, trend: nil, maxItemsPerPerson: 8, unit: 1, key: ContributionKey(seed: 7)).totals
        }
    }

    @Test("trending's totals move by at most √c units (ℓ₂) when one person, first or last, is removed or added")
    func trendingTotals() {
        let now: Int64 = 1_000 * 86_400, unit = 256
        let trend = PrivatePopularity.Trend(halfLifeDays: 7, now: now)
        // Recency weights are at most one unit each: the ℓ₁ move is at most c units, but not exactly.
        let items = 60
        for trial in 0..<12 {
            let rows = Self.randomRows(people: 90, items: items, bound: 8, seed: 300 + UInt64(trial))
            let newcomer = Self.randomRows(people: 1, items: items, bound: 8, seed: 700 + UInt64(trial))[0]
            func statistic(_ m: SparseMatrix) -> [Int64] {
                PrivatePopularity.totals(
                    m, timestamps: Self.timestamps(m, now: now), trend: trend, maxItemsPerPerson: 8, unit: unit, key: ContributionKey(seed: 7)
                ).totals
            }
            let base = statistic(Self.matrix(rows, items: items))
            for (name, neighbour) in Self.neighbours(rows, newcomer: newcomer) {
                let moved = Self.norms(base, statistic(Self.matrix(neighbour, items: items)))
                #expect(moved.l2 <= 8.0.squareRoot() * Double(unit), "trial \(trial), \(name): ℓ₂ move \(moved.l2)")
                #expect(moved.l1 <= 8 * Double(unit), "trial \(trial), \(name): ℓ₁ move \(moved.l1)")
            }
        }
    }

    /// DP-ALS's first-iteration statistics before noise, G and the b_j over every column, on people ×
    /// `columns` with the starting factors assigned by column (as `PrivateALS.train` assigns them).
    static func gramAndVectors(_ m: SparseMatrix, configuration c: PrivateALSConfiguration, grid: PrivateALSGrid) -> (gram: [Int64], vectors: [Int64]) {
        var als = ALSConfiguration()
        als.factors = c.factors
        als.regularization = c.regularization
        als.alpha = c.alpha
        als.solver = .cholesky
        als.threads = 1
        var users = FactorMatrix(rows: m.rows, factors: c.factors)
        var items = FactorMatrix.random(rows: m.columns, factors: c.factors, seed: c.seed &+ 1)
        PrivateALS.solveUsers(m, configuration: als, users: &users, items: &items, threads: 1)
        let itemUsers = PrivateALS.boundedContributions(m, configuration: c, noise: .seeded(7)).transposed()
        let sums = NoisyItemStatistics.exactSums(
            users: users, itemUsers: itemUsers, coveredItems: Array(0..<m.columns), grid: grid,
            gamma: c.userNormBound, threads: 1)
        return (sums.gram, sums.perItem)
    }

    static func privateALSConfiguration() -> (PrivateALSConfiguration, PrivateALSGrid) {
        var c = PrivateALSConfiguration()
        c.factors = 4
        c.maxItemsPerPerson = 10
        c.epsilon = 4
        c.delta = 1e-6
        c.threads = 1
        let rho = PrivacyAccountant.zCDPBudget(epsilon: c.epsilon, delta: c.delta)
        let iterationRho = (rho - rho * c.countShare) / Double(c.iterations)
        return (c, PrivateALSGrid(factors: c.factors, configuration: c, rho: iterationRho))
    }

    @Test(
        "DP-ALS's Gram matrix moves by at most S·Γ² and its item vectors together by √c·S·Γ (ℓ₂) when one person, first or last, is removed or added, over a fixed universe"
    )
    func privateALSGramAndVectors() {
        let (c, grid) = Self.privateALSConfiguration()
        let gramBound = grid.matrixScale * c.userNormBound * c.userNormBound
        let vectorBound = Double(c.maxItemsPerPerson).squareRoot() * grid.vectorScale * c.userNormBound
        let items = 60
        var worst = (gram: 0.0, vectors: 0.0)
        for trial in 0..<12 {
            let rows = Self.randomRows(people: 90, items: items, bound: 10, seed: 500 + UInt64(trial))
            let newcomer = Self.randomRows(people: 1, items: items, bound: 10, seed: 1_500 + UInt64(trial))[0]
            let base = Self.gramAndVectors(Self.matrix(rows, items: items), configuration: c, grid: grid)
            for (name, neighbour) in Self.neighbours(rows, newcomer: newcomer) {
                let other = Self.gramAndVectors(Self.matrix(neighbour, items: items), configuration: c, grid: grid)
                let gram = Self.norms(base.gram, other.gram).l2, vectors = Self.norms(base.vectors, other.vectors).l2
                worst = (max(worst.gram, gram), max(worst.vectors, vectors))
                #expect(gram <= gramBound + 1e-9, "trial \(trial), \(name): G moved by ℓ₂ \(gram) > S·Γ² = \(gramBound)")
                #expect(vectors <= vectorBound + 1e-9, "trial \(trial), \(name): the b_j moved by ℓ₂ \(vectors) > √c·S·Γ = \(vectorBound)")
            }
        }
        // The harness sees moves of the size the noise is calibrated to, not nothing.
        #expect(worst.gram > gramBound / 4 && worst.vectors > vectorBound / 4, "largest moves \(worst)")
    }

    @Test("with columns in first-appearance order (a data-dependent universe) removing the first person moves G past S·Γ²: what the catalog universe prevents")
    func dataDependentColumnsBreakTheBound() {
        let (c, grid) = Self.privateALSConfiguration()
        let gramBound = grid.matrixScale * c.userNormBound * c.userNormBound
        let items = 60
        /// The rows renumbered as the old training snapshot numbered columns: in the order items first appear.
        func firstAppearance(_ rows: [[Int32]]) -> SparseMatrix {
            var column: [Int32: Int32] = [:]
            let renumbered = rows.map { row in
                row.map { item -> Int32 in
                    if let known = column[item] { return known }
                    column[item] = Int32(column.count)
                    return column[item]!
                }.sorted()
            }
            return Self.matrix(renumbered, items: items)
        }
        var worst = 0.0
        for trial in 0..<4 {
            let rows = Self.randomRows(people: 90, items: items, bound: 10, seed: 500 + UInt64(trial))
            let base = Self.gramAndVectors(firstAppearance(rows), configuration: c, grid: grid)
            let without = Self.gramAndVectors(firstAppearance(Array(rows.dropFirst())), configuration: c, grid: grid)
            worst = max(worst, Self.norms(base.gram, without.gram).l2)
        }
        #expect(worst > gramBound, "G moved by at most \(worst) against S·Γ² = \(gramBound)")
    }
}
