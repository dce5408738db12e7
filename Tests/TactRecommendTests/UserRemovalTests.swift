import Foundation
import TactCore
import Testing

@testable import TactRecommend

/// 60 people in two taste groups over items 0..<28; person 0 also gives items 28 and 29 a strong
/// signal (30). Item 28 has two more people with a weak one, item 29 nobody else.
private func erasureMatrix() -> SparseMatrix {
    var triplets: [(row: Int32, column: Int32, value: Float)] = []
    var random = SplitMix64(seed: 2024)
    for u in 0..<60 {
        let group = u % 2
        for _ in 0..<7 {
            let item = Int(random.next(below: 14)) * 2 + group
            triplets.append((Int32(u), Int32(item), Float(1 + random.next(below: 3))))
        }
    }
    triplets += [(0, 28, 30), (0, 29, 30), (10, 28, 1), (21, 28, 1)]
    return SparseMatrix(rows: 60, columns: 30, triplets: triplets)
}

/// 10 factors: rows padded to 16, so the padding is exercised.
private func erasureConfiguration() -> ALSConfiguration {
    var c = ALSConfiguration()
    c.factors = 10
    c.iterations = 8
    c.regularization = 0.1
    c.alpha = 2
    c.seed = 11
    c.threads = 2
    return c
}

/// One training run for the whole suite.
private struct Trained: Sendable {
    let matrix = erasureMatrix()
    let columns: SparseMatrix
    let model: ALSModel

    init() {
        columns = matrix.transposed()
        model = ImplicitALS.train(matrix, configuration: erasureConfiguration())
    }

    /// `strengths` for `removingUsers`: an item's column, by user row.
    func strengths(_ item: Int32) -> [(user: Int, value: Float)] {
        let column = columns.row(Int(item))
        return zip(column.indices, column.values).map { (Int($0), $1) }
    }

    /// The items the given users touched, ascending.
    func touched(by users: Set<Int>) -> [Int32] {
        Set(users.filter { $0 >= 0 && $0 < matrix.rows }.flatMap { matrix.row($0).indices }).sorted()
    }
}
private let trained = Trained()

/// Solves A x = b by Gaussian elimination with partial pivoting, in Double.
private func gaussianSolve(_ a: [[Double]], _ b: [Double]) -> [Double] {
    var a = a, b = b
    let n = b.count
    for col in 0..<n {
        let p = (col..<n).max { abs(a[$0][col]) < abs(a[$1][col]) }!
        a.swapAt(col, p)
        b.swapAt(col, p)
        for r in (col + 1)..<n {
            let f = a[r][col] / a[col][col]
            for c in col..<n { a[r][c] -= f * a[col][c] }
            b[r] -= f * b[col]
        }
    }
    var x = [Double](repeating: 0, count: n)
    for r in stride(from: n - 1, through: 0, by: -1) {
        var v = b[r]
        for c in (r + 1)..<n { v -= a[r][c] * x[c] }
        x[r] = v / a[r][r]
    }
    return x
}

/// Item `item`'s exact solution with the users `removed` left out, built explicitly in Double from the
/// original model's user factors and the matrix.
private func referenceSolution(_ item: Int32, removing removed: Set<Int>) -> [Double] {
    let model = trained.model, x = model.userFactors, k = x.factors, s = x.stride
    let configuration = model.configuration
    func xu(_ u: Int) -> [Double] { (0..<k).map { Double(x.storage[u * s + $0]) } }
    var a = [[Double]](repeating: [Double](repeating: 0, count: k), count: k)
    var b = [Double](repeating: 0, count: k)
    for j in 0..<k { a[j][j] = Double(configuration.regularization) }
    for u in 0..<x.rows where !removed.contains(u) {
        let v = xu(u)
        for i in 0..<k { for j in 0..<k { a[i][j] += v[i] * v[j] } }
    }
    for (u, value) in trained.strengths(item) where !removed.contains(u) && value > 0 {
        let v = xu(u), c = Double(configuration.confidence(of: value))
        for i in 0..<k {
            for j in 0..<k { a[i][j] += (c - 1) * v[i] * v[j] }
            b[i] += c * v[i]
        }
    }
    return gaussianSolve(a, b)
}

private func row(_ m: FactorMatrix, _ r: Int) -> ArraySlice<Float> { m.storage[(r * m.stride)..<((r + 1) * m.stride)] }

/// ‖a − b‖ / ‖b‖ over the factors.
private func relativeError(_ a: ArraySlice<Float>, _ b: [Double]) -> Double {
    var difference = 0.0, norm = 0.0
    for (x, y) in zip(a, b) {
        difference += (Double(x) - y) * (Double(x) - y)
        norm += y * y
    }
    return (difference / max(norm, 1e-30)).squareRoot()
}

/// The checks every removal must pass: remaining users kept in order, resolved items exact, the rest bit-identical.
private func checkRemoval(_ removed: Set<Int>, resolving items: [Int32]) -> ALSModel {
    let original = trained.model
    let (model, resolved) = original.removingUsers(removed, resolving: items, strengths: trained.strengths)
    #expect(resolved == Set(items.filter { $0 >= 0 && Int($0) < original.items }).sorted())
    #expect(model.configuration == original.configuration)

    let remaining = (0..<original.users).filter { !removed.contains($0) }
    #expect(model.userFactors.rows == remaining.count)
    #expect(model.userFactors.factors == original.userFactors.factors)
    for (r, u) in remaining.enumerated() {
        #expect(row(model.userFactors, r) == row(original.userFactors, u), "user \(u) → row \(r)")
    }

    #expect(model.itemFactors.rows == original.items)
    let s = model.itemFactors.stride, k = model.itemFactors.factors
    for i in 0..<original.items where !resolved.contains(Int32(i)) {
        #expect(row(model.itemFactors, i) == row(original.itemFactors, i), "untouched item \(i)")
    }
    for item in resolved {
        let reference = referenceSolution(item, removing: removed)
        let solved = model.itemFactors.storage[(Int(item) * s)..<(Int(item) * s + k)]
        let error = relativeError(solved, reference)
        #expect(error < 1e-3, "item \(item): relative error \(error)")
        #expect(model.itemFactors.storage[(Int(item) * s + k)..<((Int(item) + 1) * s)].allSatisfy { $0 == 0 }, "padding of item \(item)")
    }
    return model
}

@Suite struct UserRemovalTests {
    @Test func removingOnePersonResolvesTheirItemsExactly() {
        let original = trained.model
        let touched = trained.touched(by: [0])
        #expect(touched.contains(28) && touched.contains(29))
        let model = checkRemoval([0], resolving: touched)

        // Item 29 was person 0's alone: nothing is left to explain it.
        #expect(model.itemFactors.row(29).allSatisfy { $0 == 0 })
        // Item 28 keeps only two weak signals: solved exactly with and without person 0, only the
        // first still predicts their taste for it.
        let kept = original.removingUsers([], resolving: [28], strengths: trained.strengths).model
        func score(_ y: FactorMatrix, _ item: Int) -> Float { zip(original.userFactors.row(0), y.row(item)).reduce(0) { $0 + $1.0 * $1.1 } }
        let with = score(kept.itemFactors, 28), without = score(model.itemFactors, 28)
        #expect(with > 0.9 && without < with - 0.15, "person 0's score of item 28 solved with them \(with), without \(without)")
    }

    @Test func removingSeveralPeopleIgnoresRowsOutsideTheModel() {
        let removed: Set<Int> = [3, 17, 59, 1_000, -5]
        // Repeats and items outside the model in the list are ignored too.
        let items = trained.touched(by: removed) + [4, 4, -1, 30, 500]
        let model = checkRemoval(removed, resolving: items)
        #expect(model.users == 57)
    }

    @Test func nothingRemovedNothingResolvedIsTheSameModel() {
        let (model, resolved) = trained.model.removingUsers([], resolving: [], strengths: trained.strengths)
        #expect(model == trained.model)
        #expect(resolved.isEmpty)
        // Only people outside the model: the same users.
        let (same, _) = trained.model.removingUsers([60, 61], resolving: [], strengths: trained.strengths)
        #expect(same == trained.model)
    }

    @Test func nobodyRemovedStillSolvesTheListedItemsExactly() {
        _ = checkRemoval([], resolving: [0, 1, 28, 29])
    }

    @Test func everyoneRemovedLeavesZeroItems() {
        let everyone = Set(0..<trained.model.users)
        let (model, resolved) = trained.model.removingUsers(everyone, resolving: [2, 28], strengths: trained.strengths)
        #expect(model.users == 0)
        #expect(resolved == [2, 28])
        #expect(model.itemFactors.row(2).allSatisfy { $0 == 0 } && model.itemFactors.row(28).allSatisfy { $0 == 0 })
        #expect(row(model.itemFactors, 3) == row(trained.model.itemFactors, 3))
    }

    @Test func strengthsOfUnknownPeopleAndNonPositiveValuesAreSkipped() {
        // The reference uses the column as it is; extra entries must change nothing.
        let touched = trained.touched(by: [0])
        let plain = trained.model.removingUsers([0], resolving: touched, strengths: trained.strengths).model
        let noisy = trained.model.removingUsers([0], resolving: touched) { item in
            trained.strengths(item) + [(user: 5_000, value: 3), (user: -1, value: 3), (user: 7, value: 0), (user: 8, value: -2)]
        }.model
        #expect(noisy == plain)
    }
}

@Suite struct ServingPatchTests {
    /// The model without person 0, and the items re-solved.
    private static func removal() -> (model: ALSModel, changed: [Int32]) {
        let (model, resolved) = trained.model.removingUsers([0], resolving: trained.touched(by: [0]), strengths: trained.strengths)
        return (model, resolved)
    }

    private static func queries(_ count: Int, factors: Int, stride: Int, seed: UInt64) -> [[Float]] {
        var random = SplitMix64(seed: seed)
        return (0..<count).map { _ in (0..<stride).map { f in f < factors ? Float(random.unit() * 2 - 1) : 0 } }
    }

    private static func expectSameGram(_ a: ALSServing, _ b: ALSServing) {
        let scale = b.itemGram.map(abs).max() ?? 1
        let difference = zip(a.itemGram, b.itemGram).map { abs($0 - $1) }.max() ?? 0
        #expect(difference <= 1e-5 * scale, "gram differs by \(difference) (scale \(scale))")
    }

    @Test func patchedServingServesLikeAFreshOne() {
        let (model, changed) = Self.removal()
        let patched = ALSServing(model: trained.model, indexThreshold: .max).replacingItemFactors(with: model, changed: changed + changed)
        let fresh = ALSServing(model: model, indexThreshold: .max)
        #expect(patched.index == nil)
        #expect(patched.model == model)
        Self.expectSameGram(patched, fresh)
        #expect(patched.itemNorms == fresh.itemNorms)
        #expect(patched.scorer.blocks == fresh.scorer.blocks)
        for x in Self.queries(20, factors: model.itemFactors.factors, stride: model.itemFactors.stride, seed: 3) {
            let a = patched.recommend(x, k: 10), b = fresh.recommend(x, k: 10)
            #expect(a.map(\.item) == b.map(\.item) && a.map(\.score) == b.map(\.score))
        }
        for item: Int32 in [1, 2, 28] {
            let a = patched.similarItems(to: item, k: 5), b = fresh.similarItems(to: item, k: 5)
            #expect(a.map(\.item) == b.map(\.item) && a.map(\.similarity) == b.map(\.similarity))
        }
        let history: [(item: Int32, value: Float)] = [(2, 3), (4, 1), (28, 2)]
        let a = patched.foldIn(history: history), b = fresh.foldIn(history: history)
        let scale = b.map(abs).max() ?? 1
        #expect(zip(a, b).allSatisfy { abs($0 - $1) <= 1e-4 * scale }, "\(a) vs \(b)")
    }

    @Test func aRegularizationChangeMovesTheDiagonal() {
        var model = trained.model
        model.configuration.regularization = 0.5
        let patched = ALSServing(model: trained.model, indexThreshold: .max).replacingItemFactors(with: model, changed: [])
        Self.expectSameGram(patched, ALSServing(model: model, indexThreshold: .max))
    }

    @Test func patchedIndexScoresExactly() throws {
        let (model, changed) = Self.removal()
        let patched = ALSServing(model: trained.model, indexThreshold: 0).replacingItemFactors(with: model, changed: changed)
        let fresh = ALSServing(model: model, indexThreshold: .max)
        let index = try #require(patched.index)
        Self.expectSameGram(patched, fresh)
        for x in Self.queries(20, factors: model.itemFactors.factors, stride: model.itemFactors.stride, seed: 4) {
            // Probing every cluster is the exact answer, scores bit for bit.
            let a = index.search(x, k: 10, probes: index.clusters), b = fresh.recommendExact(x, k: 10)
            #expect(a.map(\.item) == b.map(\.item) && a.map(\.score) == b.map(\.score))
        }
    }
}

/// Item factors in `groups` directions with log-normal norms, and a server indexing them.
private struct IndexedCatalog: Sendable {
    let serving: ALSServing

    init(items: Int = 5_000, factors: Int = 16, groups: Int = 40) {
        let y = clusteredFactors(items: items, factors: factors, groups: groups)
        var configuration = ALSConfiguration()
        configuration.factors = factors
        serving = ALSServing(
            model: ALSModel(configuration: configuration, userFactors: FactorMatrix(rows: 1, factors: factors), itemFactors: y),
            indexThreshold: 0)
    }
}
private let catalog = IndexedCatalog()

@Suite struct IndexPatchTests {
    /// `serving`'s model with 500 items moved: shrunk by up to half and turned a little; `grow` more
    /// of them stretched past the longest item.
    private static func moved(_ serving: ALSServing, grow: Int) -> (model: ALSModel, changed: [Int32]) {
        var model = serving.model
        var random = SplitMix64(seed: 77)
        let y = model.itemFactors, s = y.stride, k = y.factors, n = y.rows
        var changed = Set<Int32>()
        while changed.count < 500 { changed.insert(Int32(random.next(below: UInt64(n)))) }
        let maxNorm = serving.index!.maxNorm
        for (m, item) in changed.sorted().enumerated() {
            let base = Int(item) * s
            var v = (0..<k).map { y.storage[base + $0] }
            let length = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            v = v.map { $0 + Float(random.unit() - 0.5) * 0.2 * length }
            let turned = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            let target = m < grow ? maxNorm * Float(1.2 + 0.3 * random.unit()) : length * Float(0.5 + 0.5 * random.unit())
            for f in 0..<k { model.itemFactors.storage[base + f] = v[f] / turned * target }
        }
        return (model, Array(changed))
    }

    private static func check(grow: Int) throws {
        let serving = catalog.serving
        let before = try #require(serving.index)
        let (model, changed) = moved(serving, grow: grow)
        let patched = serving.replacingItemFactors(with: model, changed: changed)
        let index = try #require(patched.index)
        let fresh = ALSServing(model: model, indexThreshold: .max)

        // Every item once; the stored vectors are the new ones.
        let rows = index.rowItems.filter { $0 >= 0 }
        #expect(rows.count == model.items && Set(rows).count == model.items)
        #expect(index.clusterSizes.reduce(0, +) == model.items && index.clusterStart.last! * 16 == index.rowItems.count)
        #expect(index.itemBlocks.count == index.rowItems.count * model.itemFactors.factors)
        let longest = fresh.itemNorms.max()!
        if grow == 0 {
            // Inside the sphere: same clusters, members, sphere and centroids.
            #expect(index.clusters == before.clusters && index.clusterSizes == before.clusterSizes && index.rowItems == before.rowItems)
            #expect(index.probes == before.probes && index.maxNorm == before.maxNorm)
            #expect(index.centroidBlocks == before.centroidBlocks && index.centroidNormSquares == before.centroidNormSquares)
            #expect(index.itemBlocks != before.itemBlocks)
        } else {
            // Past it: the items outside the old sphere form one new last cluster, M is the longest norm.
            let outside = Set(changed.filter { fresh.itemNorms[Int($0)] > before.maxNorm })
            #expect(outside.count == grow)
            #expect(index.clusters == before.clusters + 1 && index.probes == before.probes + 1)
            #expect(Set(index.rowItems[(index.clusterStart[index.clusters - 1] * 16)...].filter { $0 >= 0 }) == outside)
            #expect(index.maxNorm == longest)
        }
        #expect(index.maxNorm >= longest)
        #expect(patched.itemNorms == fresh.itemNorms)
        let scale = fresh.itemGram.map(abs).max()!
        #expect(zip(patched.itemGram, fresh.itemGram).allSatisfy { abs($0 - $1) <= 1e-5 * scale })

        var random = SplitMix64(seed: 9)
        var found = 0
        let k = model.itemFactors.factors, s = model.itemFactors.stride
        for _ in 0..<200 {
            let x = (0..<s).map { f in f < k ? Float(random.unit() * 2 - 1) : 0 }
            let truth = fresh.recommendExact(x, k: 10)
            let answer = patched.recommend(x, k: 10)
            let exactScores = Dictionary(uniqueKeysWithValues: truth.map { ($0.item, $0.score) })
            for hit in answer where exactScores[hit.item] != nil {
                found += 1
                #expect(exactScores[hit.item] == hit.score)
            }
            let all = index.search(x, k: 10, probes: index.clusters)
            #expect(all.map(\.item) == truth.map(\.item) && all.map(\.score) == truth.map(\.score))
        }
        let recall = Double(found) / 2_000
        #expect(recall >= 0.9, "recall@10 after patching \(recall)")
    }

    @Test func patchingInsideTheSphereKeepsTheCentroids() throws { try Self.check(grow: 0) }

    @Test(arguments: [1, 50]) func patchingPastTheSphereSetsTheLongItemsApart(grow: Int) throws { try Self.check(grow: grow) }

    /// `y` with `items` scaled to norm `length`.
    private static func stretched(_ y: FactorMatrix, _ items: [Int32], to length: Float) -> FactorMatrix {
        var out = y
        for item in items {
            let row = out.row(Int(item)), norm = row.reduce(0) { $0 + $1 * $1 }.squareRoot()
            for f in 0..<y.factors { out.storage[Int(item) * y.stride + f] *= length / norm }
        }
        return out
    }

    private static func expectExactThroughEveryCluster(_ index: InnerProductIndex, _ y: FactorMatrix) {
        var configuration = ALSConfiguration()
        configuration.factors = y.factors
        let scan = ALSServing(
            model: ALSModel(configuration: configuration, userFactors: FactorMatrix(rows: 1, factors: y.factors), itemFactors: y),
            indexThreshold: .max)
        var random = SplitMix64(seed: 12)
        for _ in 0..<30 {
            let x = (0..<y.stride).map { f in f < y.factors ? Float(random.unit() * 2 - 1) : 0 }
            let a = index.search(x, k: 5, probes: index.clusters), b = scan.recommendExact(x, k: 5)
            #expect(a.map(\.item) == b.map(\.item) && a.map(\.score) == b.map(\.score))
        }
    }

    @Test func aClusterWhoseItemsAllLeaveIsDroppedAndGrowthAddsUp() {
        var random = SplitMix64(seed: 3)
        var y = FactorMatrix(rows: 200, factors: 16)
        for i in 0..<200 { for f in 0..<16 { y.storage[i * y.stride + f] = Float(random.unit() * 2 - 1) } }
        let index = InnerProductIndex(itemFactors: y, clusters: 8, threads: 1)
        let first = index.rowItems[0..<(index.clusterStart[1] * 16)].filter { $0 >= 0 }

        // Every item of the first cluster past the sphere: that cluster goes, one of long items comes.
        let moved = Self.stretched(y, Array(first), to: 1.5 * index.maxNorm)
        let patched = index.replacingItems(Array(first), in: moved)
        #expect(patched.clusters == index.clusters && patched.clusterSizes.last == first.count)
        #expect(patched.clusterSizes.dropLast() == index.clusterSizes.dropFirst())
        #expect(patched.probes == min(patched.clusters, index.probes + 1))
        #expect(Set(patched.rowItems.filter { $0 >= 0 }).count == 200)
        Self.expectExactThroughEveryCluster(patched, moved)

        // A second patch past the new sphere adds one more cluster.
        let other = index.rowItems[(index.clusterStart[1] * 16)...].first { $0 >= 0 }!
        let again = Self.stretched(moved, [other], to: 2 * patched.maxNorm)
        let twice = patched.replacingItems([other], in: again)
        #expect(twice.clusters == patched.clusters + 1 && twice.clusterSizes.last == 1)
        let longest = again.row(Int(other)).reduce(0) { $0 + $1 * $1 }.squareRoot()
        #expect(abs(twice.maxNorm - longest) <= 1e-5 * longest)
        Self.expectExactThroughEveryCluster(twice, again)
    }
}
