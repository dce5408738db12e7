import TactCore
import Testing

@testable import TactRecommend

/// A small users × items matrix with two taste groups, deterministic.
func tasteMatrix(users: Int = 60, items: Int = 40) -> SparseMatrix {
    var triplets: [(row: Int32, column: Int32, value: Float)] = []
    var state: UInt64 = 12345
    func next() -> UInt64 { state = state &* 6364136223846793005 &+ 1442695040888963407; return state >> 33 }
    for u in 0..<users {
        let group = u % 2
        for _ in 0..<8 {
            let item = Int(next() % UInt64(items / 2)) * 2 + group  // even items for group 0, odd for group 1
            triplets.append((Int32(u), Int32(item), Float(1 + next() % 3)))
        }
    }
    return SparseMatrix(rows: users, columns: items, triplets: triplets)
}

func configuration(_ solver: ALSConfiguration.Solver, iterations: Int = 10, factors: Int = 8, threads: Int = 1) -> ALSConfiguration {
    var c = ALSConfiguration()
    c.factors = factors
    c.iterations = iterations
    c.regularization = 0.1
    c.alpha = 2
    c.solver = solver
    c.threads = threads
    c.seed = 7
    return c
}

func maxDifference(_ a: ArraySlice<Float>, _ b: ArraySlice<Float>) -> Float {
    zip(a, b).map { abs($0 - $1) }.max() ?? 0
}

@Suite struct ImplicitALSTests {
    @Test("the loss is computed only when asked, and asking changes nothing else")
    func lossOnlyWhenAsked() {
        let m = tasteMatrix()
        let c = configuration(.conjugateGradient(steps: 3), iterations: 4)
        var heard: [Double] = []
        let with = ImplicitALS.train(m, configuration: c, computesLoss: true) { _, loss, _ in heard.append(loss) }
        var silent: [Double] = []
        let without = ImplicitALS.train(m, configuration: c, computesLoss: false) { _, loss, _ in silent.append(loss) }
        #expect(with.loss.count == 4 && heard == with.loss && with.loss.allSatisfy { $0.isFinite && $0 > 0 })
        #expect(without.loss.isEmpty && silent.count == 4 && silent.allSatisfy(\.isNaN))
        #expect(with.userFactors.storage == without.userFactors.storage)
        #expect(with.itemFactors.storage == without.itemFactors.storage)
        // Through the model protocol: a listener gets the loss, no listener spares it.
        guard case .als(let listened) = c.train(m, progress: { _, _, _ in }).model, case .als(let unheard) = c.train(m, progress: nil).model else {
            Issue.record("iALS trained something else")
            return
        }
        #expect(listened.loss.count == 4 && unheard.loss.isEmpty)
    }

    @Test func conjugateGradientAgreesWithCholesky() {
        let m = tasteMatrix()
        let trained = ImplicitALS.train(m, configuration: configuration(.cholesky, iterations: 3))
        let cui = m.mapValues { trained.configuration.confidence(of: $0) }
        let gram = GramMatrix.compute(trained.itemFactors, regularization: 0.1, threads: 1)
        var exact = trained.userFactors, cg = trained.userFactors
        LeastSquaresSolver.solve(confidence: cui, x: &exact, y: trained.itemFactors, gram: gram, solver: .cholesky, threads: 1)
        // Many CG steps from a zero start converge to the exact solution.
        cg.storage = [Float](repeating: 0, count: cg.storage.count)
        LeastSquaresSolver.solve(confidence: cui, x: &cg, y: trained.itemFactors, gram: gram, solver: .conjugateGradient(steps: 40), threads: 1)
        for u in 0..<m.rows {
            #expect(maxDifference(exact.row(u), cg.row(u)) < 1e-3, "user \(u)")
        }
        // A few warm-started steps move towards it.
        var warm = trained.userFactors
        LeastSquaresSolver.solve(confidence: cui, x: &warm, y: trained.itemFactors, gram: gram, solver: .conjugateGradient(steps: 3), threads: 1)
        #expect(maxDifference(exact.row(0), warm.row(0)) < maxDifference(exact.row(0), trained.userFactors.row(0)) + 1e-6)
    }

    @Test(arguments: [ALSConfiguration.Solver.conjugateGradient(steps: 3), .cholesky])
    func lossDecreases(solver: ALSConfiguration.Solver) {
        let model = ImplicitALS.train(tasteMatrix(), configuration: configuration(solver, iterations: 8))
        #expect(model.loss.count == 8)
        for i in 1..<model.loss.count { #expect(model.loss[i] <= model.loss[i - 1] * 1.0001, "iteration \(i + 1)") }
        #expect(model.loss.last! < model.loss.first!)
    }

    @Test func sameSeedSameModelWhateverTheThreads() {
        let m = tasteMatrix(users: 600, items: 40)
        let one = ImplicitALS.train(m, configuration: configuration(.conjugateGradient(steps: 3), iterations: 3, threads: 1))
        let four = ImplicitALS.train(m, configuration: configuration(.conjugateGradient(steps: 3), iterations: 3, threads: 4))
        let same = one.userFactors == four.userFactors && one.itemFactors == four.itemFactors && one.loss == four.loss
        #expect(same)
        var other = configuration(.conjugateGradient(steps: 3), iterations: 3)
        other.seed = 8
        let differs = ImplicitALS.train(m, configuration: other).userFactors != one.userFactors
        #expect(differs)
    }

    @Test func foldInReproducesTheTrainedVector() {
        let m = tasteMatrix()
        let model = ImplicitALS.train(m, configuration: configuration(.cholesky, iterations: 40))
        let serving = ALSServing(model: model)
        for u in [0, 1, 17] {
            let (idx, vals) = m.row(u)
            let history = zip(idx, vals).map { (item: $0, value: $1) }
            let folded = serving.foldIn(history: history)
            let trained = serving.userVector(u)
            let scale = trained.map(abs).max()!
            #expect(maxDifference(folded[...], trained[...]) < 0.02 * scale, "user \(u)")
        }
    }

    @Test func recommendationsFollowTasteAndLeaveOutHistory() {
        let m = tasteMatrix()
        let serving = ALSServing(model: ImplicitALS.train(m, configuration: configuration(.cholesky, iterations: 15)))
        for u in 0..<10 {
            let seen = Set(m.row(u).indices)
            let recs = serving.recommend(serving.userVector(u), k: 5, excluding: seen)
            #expect(recs.count == 5)
            #expect(recs.allSatisfy { !seen.contains($0.item) })
            #expect(recs.filter { Int($0.item) % 2 == u % 2 }.count >= 4, "user \(u) gets their group's items")
            #expect(zip(recs, recs.dropFirst()).allSatisfy { $0.score >= $1.score })
        }
        let odd = serving.recommend(serving.userVector(1), k: 3, allowed: { $0 % 2 == 1 })
        #expect(odd.allSatisfy { $0.item % 2 == 1 })
        let similar = serving.similarItems(to: 0, k: 5)
        #expect(similar.count == 5 && !similar.contains { $0.item == 0 })
        #expect(similar.filter { $0.item % 2 == 0 }.count >= 4)
    }

    @Test func reasonsAccountForTheScore() {
        let m = tasteMatrix()
        let serving = ALSServing(model: ImplicitALS.train(m, configuration: configuration(.cholesky, iterations: 10)))
        let (idx, vals) = m.row(3)
        let history = zip(idx, vals).map { (item: $0, value: $1) }
        let x = serving.foldIn(history: history)
        for item: Int32 in [0, 5, 11] {
            let explanation = serving.explain(history: history, item: item)
            let direct = zip(serving.model.itemFactors.row(Int(item)), x).map { $0 * $1 }.reduce(0, +)
            #expect(abs(explanation.score - direct) < 1e-3 * max(1, abs(direct)))
            #expect(explanation.contributions.count == history.count)
            #expect(zip(explanation.contributions, explanation.contributions.dropFirst()).allSatisfy { $0.contribution >= $1.contribution })
        }
    }

    @Test func topKMatchesAFullSort() {
        var state: UInt64 = 99
        let scores: [Float] = (0..<500).map { _ in
            state = state &* 6364136223846793005 &+ 1; return Float(state >> 40) / Float(1 << 24)
        }
        var top = TopK(k: 17)
        for (i, s) in scores.enumerated() { top.offer(s, Int32(i)) }
        let expected = scores.indices.sorted { scores[$0] > scores[$1] }.prefix(17).map { Int32($0) }
        #expect(top.sorted().map(\.index) == expected)
    }

    @Test func sparseMatrixSumsDuplicatesAndTransposes() {
        let m = SparseMatrix(rows: 2, columns: 3, triplets: [(0, 2, 1), (0, 0, 2), (0, 2, 3), (1, 1, 5)])
        #expect(m.rowStart == [0, 2, 3] && m.indices == [0, 2, 1] && m.values == [2, 4, 5])
        let t = m.transposed()
        #expect(t.rows == 3 && t.value(row: 2, column: 0) == 4 && t.value(row: 1, column: 1) == 5 && t.value(row: 1, column: 0) == 0)
        #expect(t.transposed() == m)
    }
}

@Suite struct SparseMatrixBuilderTests {
    @Test func mergesRepeatsKeepsLatestTimeAndDropsNonPositive() {
        let built = SparseMatrixBuilder.build(
            rows: 3, columns: 4,
            rowIndices: [2, 0, 2, 0, 1, 2], columnIndices: [3, 1, 3, 0, 2, 0],
            values: [1, 2, 4, -1, -5, 1], timestamps: [10, 20, 30, 40, 50, 5])
        #expect(built.matrix.rowStart == [0, 2, 3, 5])
        #expect(built.matrix.indices == [0, 1, 2, 0, 3])
        #expect(built.matrix.values == [-1, 2, -5, 1, 5])
        #expect(built.timestamps == [40, 20, 50, 5, 30])
        let positive = SparseMatrixBuilder.positiveOnly(built.matrix, timestamps: built.timestamps)
        #expect(positive.matrix.rowStart == [0, 1, 1, 3])
        #expect(positive.matrix.indices == [1, 0, 3])
        #expect(positive.timestamps == [20, 5, 30])
    }
}

@Suite struct EigenbasisTests {
    @Test func jacobiDecomposesASymmetricMatrix() {
        let n = 5, s = 16
        var a = [Float](repeating: 0, count: s * s)
        for i in 0..<n { for j in 0...i { let v = Float((i + 1) * (j + 2) % 7) + (i == j ? 10 : 0); a[i * s + j] = v; a[j * s + i] = v } }
        let (values, q) = SymmetricEigen.decompose(a, n: n, stride: s)
        for i in 0..<n {
            for j in 0..<n {
                var qtq: Float = 0, rebuilt: Float = 0
                for m in 0..<n {
                    qtq += q[m * s + i] * q[m * s + j]
                    rebuilt += q[i * s + m] * values[m] * q[j * s + m]
                }
                #expect(abs(qtq - (i == j ? 1 : 0)) < 1e-5, "QᵀQ at \(i),\(j)")
                #expect(abs(rebuilt - a[i * s + j]) < 1e-4, "QΛQᵀ at \(i),\(j)")
            }
        }
    }

    @Test func aRotatedHalfStepGivesTheSameScores() {
        let m = tasteMatrix(users: 200, items: 30)
        let start = ImplicitALS.train(m, configuration: configuration(.cholesky, iterations: 2))
        let config = configuration(.conjugateGradient(steps: 3))
        var plainX = start.userFactors
        let gram = GramMatrix.compute(start.itemFactors, regularization: config.regularization, threads: 1)
        LeastSquaresSolver.solve(confidence: m, offset: 1, scale: config.alpha, x: &plainX, y: start.itemFactors, gram: gram, solver: config.solver, threads: 1)
        var rotatedX = start.userFactors, rotatedY = start.itemFactors
        ImplicitALS.halfStep(m, offset: 1, scale: config.alpha, solving: &rotatedX, fixed: &rotatedY, configuration: config, threads: 1)
        #expect(rotatedY != start.itemFactors, "the rotation happened")
        for u in stride(from: 0, to: 200, by: 13) {
            for i in 0..<30 {
                let plain = zip(plainX.row(u), start.itemFactors.row(i)).map { $0 * $1 }.reduce(0, +)
                let rotated = zip(rotatedX.row(u), rotatedY.row(i)).map { $0 * $1 }.reduce(0, +)
                #expect(abs(plain - rotated) < 1e-3 * max(1, abs(plain)), "user \(u) item \(i)")
            }
        }
    }
}
