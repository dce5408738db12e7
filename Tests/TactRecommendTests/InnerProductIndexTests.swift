import Foundation
import TactCore
import Testing

@testable import TactRecommend

/// Item factors in `groups` clusters of directions, with norms spread over about a factor of 20.
func clusteredFactors(items: Int = 5_000, factors: Int = 16, groups: Int = 40, seed: UInt64 = 5) -> FactorMatrix {
    var random = SplitMix64(seed: seed)
    func gauss() -> Float { Float((-2 * log(max(1e-12, random.unit()))).squareRoot() * cos(2 * .pi * random.unit())) }
    let centers = (0..<groups).map { _ in (0..<factors).map { _ in gauss() } }
    var m = FactorMatrix(rows: items, factors: factors)
    for i in 0..<items {
        let center = centers[Int(random.next(below: UInt64(groups)))]
        let norm = exp(0.75 * gauss())
        var v = center.map { $0 + 0.5 * gauss() }
        let length = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        v = v.map { $0 / length * norm }
        for f in 0..<factors { m.storage[i * m.stride + f] = v[f] }
    }
    return m
}

/// Random query vectors padded to the matrix stride.
private func queries(_ count: Int, like y: FactorMatrix, seed: UInt64 = 9) -> [[Float]] {
    var random = SplitMix64(seed: seed)
    return (0..<count).map { _ in
        (0..<y.stride).map { f in f < y.factors ? Float(random.unit() * 2 - 1) : 0 }
    }
}

/// x·y of one row, in Double.
private func exactScore(_ x: [Float], _ y: FactorMatrix, _ item: Int32) -> Double {
    (0..<y.factors).reduce(0.0) { $0 + Double(x[$1]) * Double(y.storage[Int(item) * y.stride + $1]) }
}

/// The whole-catalog answer, from the exact scan of an unindexed server.
private func exactServing(_ y: FactorMatrix) -> ALSServing {
    var configuration = ALSConfiguration()
    configuration.factors = y.factors
    return ALSServing(
        model: ALSModel(configuration: configuration, userFactors: FactorMatrix(rows: 1, factors: y.factors), itemFactors: y),
        indexThreshold: .max)
}

/// One index for the whole suite: building it is the slow part in a debug build.
private struct Fixture: Sendable {
    let y = clusteredFactors()
    let index: InnerProductIndex
    let exact: ALSServing

    init() {
        index = InnerProductIndex(itemFactors: y)
        exact = exactServing(y)
    }
}
private let fixture = Fixture()

@Suite struct InnerProductIndexTests {
    var y: FactorMatrix { fixture.y }
    var index: InnerProductIndex { fixture.index }
    var exact: ALSServing { fixture.exact }

    @Test func indexHoldsEveryItemOnce() {
        #expect(index.clusters == InnerProductIndex.defaultClusters(items: 5_000))
        #expect(index.clusterSizes.reduce(0, +) == 5_000)
        let rows = index.rowItems.filter { $0 >= 0 }
        #expect(rows.count == 5_000)
        #expect(Set(rows) == Set(0..<5_000))
        #expect(index.clusterStart.last! * 16 == index.rowItems.count)
        #expect(index.itemBlocks.count == index.rowItems.count * y.factors)
    }

    @Test func recallAtTenAgainstTheExactScan() {
        var found = 0
        for x in queries(200, like: y) {
            let truth = Set(exact.recommendExact(x, k: 10).map(\.item))
            found += index.search(x, k: 10).filter { truth.contains($0.item) }.count
        }
        let recall = Double(found) / 2_000
        #expect(recall >= 0.9, "recall@10 \(recall)")
        #expect(recall < 1 || index.probes == index.clusters, "a few probes should miss something on 5,000 items")
    }

    @Test func resultsAreSortedWithExactScores() {
        for x in queries(50, like: y, seed: 21) {
            let found = index.search(x, k: 25)
            #expect(found.count == 25)
            #expect(Set(found.map(\.item)).count == 25)
            for (a, b) in zip(found, found.dropFirst()) { #expect(a.score >= b.score) }
            for r in found {
                let truth = exactScore(x, y, r.item)
                #expect(abs(Double(r.score) - truth) <= 1e-5 * max(1, abs(truth)), "item \(r.item)")
            }
        }
    }

    @Test func probingEveryClusterIsTheExactAnswer() {
        for x in queries(30, like: y, seed: 33) {
            let all = index.search(x, k: 10, probes: index.clusters)
            let truth = exact.recommendExact(x, k: 10)
            #expect(all.map(\.item) == truth.map(\.item))
            #expect(all.map(\.score) == truth.map(\.score))
        }
    }

    @Test func excludedAndDisallowedItemsNeverAppear() {
        for x in queries(40, like: y, seed: 44) {
            // Leave out the ten best and every item divisible by 3.
            let best = Set(exact.recommendExact(x, k: 10).map(\.item))
            let found = index.search(x, k: 10, excluding: best, allowed: { $0 % 3 != 0 })
            #expect(found.count == 10)
            #expect(found.allSatisfy { !best.contains($0.item) && $0.item % 3 != 0 })
        }
    }

    @Test(arguments: [10, 15, 40])
    func aHeavyFilterStillGetsFullLists(k: Int) {
        // 15 allowed items spread over the catalog, so over many clusters.
        let allowedItems = Set((0..<15).map { Int32($0 * 331 + 7) })
        var overlap = 0
        for x in queries(20, like: y, seed: 55) {
            let found = index.search(x, k: k, allowed: { allowedItems.contains($0) })
            let truth = exact.recommendExact(x, k: k, allowed: { allowedItems.contains($0) })
            #expect(found.count == min(k, 15))
            #expect(found.allSatisfy { allowedItems.contains($0.item) })
            for (a, b) in zip(found, found.dropFirst()) { #expect(a.score >= b.score) }
            if k >= 15 {
                // Every allowed item had to be found, so every cluster was probed: the exact answer.
                #expect(found.map(\.item) == truth.map(\.item))
                #expect(found.map(\.score) == truth.map(\.score))
            } else {
                overlap += Set(found.map(\.item)).intersection(truth.map(\.item)).count
            }
        }
        if k < 15 {
            // Probing stops once k qualify, so the list is the best of the clusters probed: most of the exact list.
            // (Any 10 of the 15 allowed would share at least 5 with it.)
            #expect(Double(overlap) / Double(20 * k) >= 0.8, "overlap \(Double(overlap) / Double(20 * k))")
        }
    }

    @Test func sameSeedSameIndexWhateverTheThreads() {
        let small = clusteredFactors(items: 1_500, seed: 6)
        let one = InnerProductIndex(itemFactors: small, threads: 1)
        let two = InnerProductIndex(itemFactors: small, threads: 2)
        #expect(one.rowItems == two.rowItems && one.centroidBlocks == two.centroidBlocks && one.itemBlocks == two.itemBlocks)
        let other = InnerProductIndex(itemFactors: small, seed: 2, threads: 2)
        #expect(other.rowItems != one.rowItems)
    }

    @Test func servingUsesTheIndexFromItsThreshold() {
        let small = clusteredFactors(items: 1_500, seed: 7)
        var configuration = ALSConfiguration()
        configuration.factors = small.factors
        let model = ALSModel(configuration: configuration, userFactors: FactorMatrix(rows: 1, factors: small.factors), itemFactors: small)
        #expect(ALSServing.indexThreshold > 1_500)
        #expect(ALSServing(model: model).index == nil)
        let indexed = ALSServing(model: model, indexThreshold: 1_500)
        #expect(indexed.index != nil)
        #expect(ALSServing(model: model, indexThreshold: 1_501).index == nil)
        let plain = exactServing(small)
        var differs = 0
        for x in queries(40, like: small, seed: 66) {
            let viaIndex = indexed.recommend(x, k: 10, excluding: [1, 2, 3])
            #expect(viaIndex.map(\.item) == indexed.index!.search(x, k: 10, excluding: [1, 2, 3]).map(\.item))
            let exactList = indexed.recommendExact(x, k: 10, excluding: [1, 2, 3])
            #expect(exactList.map(\.item) == plain.recommendExact(x, k: 10, excluding: [1, 2, 3]).map(\.item))
            #expect(plain.recommend(x, k: 10, excluding: [1, 2, 3]).map(\.item) == exactList.map(\.item))
            if viaIndex.map(\.item) != exactList.map(\.item) { differs += 1 }
        }
        // The index is approximate: with 10% of the clusters probed some lists differ from the exact ones.
        #expect(differs > 0)
    }

    @Test func smallAndEmptyCatalogs() {
        let empty = InnerProductIndex(itemFactors: FactorMatrix(rows: 0, factors: 8))
        #expect(empty.clusters == 0)
        #expect(empty.search([Float](repeating: 1, count: 16), k: 5).isEmpty)
        let tiny = clusteredFactors(items: 7, factors: 8, groups: 2)
        let small = InnerProductIndex(itemFactors: tiny)
        let x = queries(1, like: tiny)[0]
        let found = small.search(x, k: 10)
        #expect(found.map(\.item) == exactServing(tiny).recommendExact(x, k: 10).map(\.item))
        #expect(found.count == 7)
        #expect(small.search(x, k: 0).isEmpty)
        // All-zero factors: every score is 0 and ties go to the lower item.
        let zeros = InnerProductIndex(itemFactors: FactorMatrix(rows: 40, factors: 8))
        #expect(zeros.search(x, k: 3).map(\.item) == [0, 1, 2])
    }
}
