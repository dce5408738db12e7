import Foundation
import TactCore
import TactPrivacy
import Testing

@testable import TactRecommend

/// The sensitivity harness for federated DP-ALS's sums (issue 23): each device is one person (the
/// server admits one device per person per aggregation, see docs/federated.md), and its message depends
/// only on its own history, its own random sample and the public item factors. On random datasets,
/// removing or adding one person's device, first or last, must move the summed messages — the
/// pre-noise sums the server unmasks — by at most the ℓ₂ sensitivity the noise is calibrated to, in
/// each block the noise treats separately: the counts (√c), the Gram matrix (S_m·Γ²), the per-item
/// vectors (√c·S_v·Γ) and, when released, the per-item matrices (√c·S_m·Γ²).
@Suite struct FederatedSensitivityTests {
    /// One device: its bounded sample and its user vector, drawn from its own seed (the device's own
    /// randomness), so nobody else's presence changes them. Vectors reach past Γ so clipping is exercised.
    struct Device {
        var bounded: [Int32]
        var vector: [Float]
    }

    static func devices(_ rows: [[Int32]], plan: FederatedPrivateALS, seed: UInt64) -> [Device] {
        rows.enumerated().map { r, row in
            var own = ChaCha20Generator(seed: seed &+ UInt64(r) &* 0x9E37_79B9_7F4A_7C15)
            let bounded = plan.boundedHistory(row, using: &own)
            let scale = Float(plan.configuration.userNormBound) * 2
            let vector = (0..<plan.configuration.factors).map { _ in (Float(own.next() % 2001) / 1000 - 1) * scale }
            return Device(bounded: bounded, vector: vector)
        }
    }

    static func sum(_ messages: [[UInt32]], length: Int) -> [Int64] {
        var total = [UInt32](repeating: 0, count: length)
        for m in messages { for i in 0..<length { total[i] &+= m[i] } }
        return total.map { Int64(Int32(bitPattern: $0)) }
    }

    static func l2(_ a: ArraySlice<Int64>, _ b: ArraySlice<Int64>) -> Double {
        zip(a, b).reduce(0.0) {
            let d = Double($1.0 - $1.1); return $0 + d * d
        }.squareRoot()
    }

    static func sensitivities(_ events: [PrivacyEvent]) -> [Double] {
        events.compactMap { if case .gaussian(_, let s, _) = $0 { s } else { nil } }
    }

    @Test(
        "federated DP-ALS's summed counts and statistics move by at most their stated ℓ₂ sensitivities when one person's device, first or last, leaves or joins",
        arguments: [0.0, 0.3])
    func federatedSums(matrixShare: Double) {
        var c = PrivateALSConfiguration()
        c.factors = 4
        c.maxItemsPerPerson = 5
        c.epsilon = 8
        c.matrixShare = matrixShare
        c.threads = 1
        let plan = FederatedPrivateALS(c)
        let items = 40
        let stated = Self.sensitivities(plan.grid.events)
        let gramBound = stated[0], vectorBound = stated[1], matrixBound = stated.count > 2 ? stated[2] : 0
        let countBound = Double(c.maxItemsPerPerson).squareRoot()
        let slots: [Int?] = (0..<items).map { $0 }
        let k = plan.grid.k, triangle = plan.grid.triangle, width = plan.grid.itemWidth
        let length = plan.statisticsLength(coveredItems: items)
        var worst = (count: 0.0, gram: 0.0, vector: 0.0, matrix: 0.0)
        for trial in 0..<10 {
            let rows = ContributionSensitivityTests.randomRows(people: 50, items: items, bound: c.maxItemsPerPerson, seed: 300 + UInt64(trial))
            let newcomer = ContributionSensitivityTests.randomRows(people: 1, items: items, bound: c.maxItemsPerPerson, seed: 700 + UInt64(trial))[0]
            func sums(_ rows: [[Int32]], seeds: [UInt64]) -> (counts: [Int64], statistics: [Int64]) {
                // A device's randomness is its own: each row keeps its seed wherever it sits.
                let devices = zip(rows, seeds).map { Self.devices([$0], plan: plan, seed: $1)[0] }
                return (
                    Self.sum(devices.map { plan.countMessage(bounded: $0.bounded, items: items) }, length: items),
                    Self.sum(devices.map { plan.statisticsMessage(userVector: $0.vector, bounded: $0.bounded, slots: slots) }, length: length)
                )
            }
            let seeds = (0..<UInt64(rows.count)).map { 1000 * UInt64(trial) + $0 }
            let base = sums(rows, seeds: seeds)
            let neighbours: [(String, [[Int32]], [UInt64])] = [
                ("first removed", Array(rows.dropFirst()), Array(seeds.dropFirst())), ("last removed", Array(rows.dropLast()), Array(seeds.dropLast())),
                ("added first", [newcomer] + rows, [999_999] + seeds), ("added last", rows + [newcomer], seeds + [999_999])
            ]
            for (name, other, otherSeeds) in neighbours {
                let moved = sums(other, seeds: otherSeeds)
                let count = Self.l2(base.counts[...], moved.counts[...])
                let gram = Self.l2(base.statistics[0..<triangle], moved.statistics[0..<triangle])
                var vector = 0.0, matrix = 0.0
                for slot in 0..<items {
                    let start = triangle + slot * width
                    let v = Self.l2(base.statistics[(start + width - k)..<(start + width)], moved.statistics[(start + width - k)..<(start + width)])
                    vector += v * v
                    if width > k {
                        let m = Self.l2(base.statistics[start..<(start + width - k)], moved.statistics[start..<(start + width - k)])
                        matrix += m * m
                    }
                }
                vector = vector.squareRoot()
                matrix = matrix.squareRoot()
                #expect(count <= countBound + 1e-9, "\(name), trial \(trial): counts moved by \(count) > √c = \(countBound)")
                #expect(gram <= gramBound + 1e-9, "\(name), trial \(trial): Gram moved by \(gram) > \(gramBound)")
                #expect(vector <= vectorBound + 1e-9, "\(name), trial \(trial): item vectors moved by \(vector) > \(vectorBound)")
                if width > k { #expect(matrix <= matrixBound + 1e-9, "\(name), trial \(trial): item matrices moved by \(matrix) > \(matrixBound)") }
                worst = (
                    max(worst.count, count / countBound), max(worst.gram, gram / gramBound), max(worst.vector, vector / vectorBound),
                    width > k ? max(worst.matrix, matrix / matrixBound) : 0
                )
            }
        }
        // The bound is met, and nearly reached (the harness would notice a sensitivity overstated by far).
        #expect(worst.count > 0.5 && worst.gram > 0.5 && worst.vector > 0.3, "worst ratios \(worst)")
    }
}
