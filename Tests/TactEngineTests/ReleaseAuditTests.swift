import Foundation
import TactCore
import TactPrivacy
import TactRecommend
import Testing

@testable import TactEngine

/// The empirical DP audit (issue 23): it must catch the contribution-bounding flaw of finding 1 and
/// find no contradiction in the releases as they are now.
@Suite struct ReleaseAuditTests {
    static let now: Int64 = 1_767_225_600

    static func settings(epsilon: Double = 1, runs: Int) -> ReleaseAudit.Settings {
        var s = ReleaseAudit.Settings()
        s.epsilon = epsilon
        s.delta = 1e-6
        s.maxItemsPerPerson = 10
        s.runs = runs
        s.now = now
        s.threads = 2
        return s
    }

    /// DP-ALS's noisy item counts as they were released before issue 23's fix (to commit c7b314e): every
    /// over-bound person's items drawn from one SplitMix64 stream in row order, seeded with the public
    /// default seed 1, then discrete Gaussian noise calibrated to ℓ₂ sensitivity √c.
    static func countsBeforeTheFix(settings s: ReleaseAudit.Settings) -> ReleaseAudit.Mechanism {
        let c = s.maxItemsPerPerson
        let rho = PrivacyAccountant.zCDPBudget(epsilon: s.epsilon, delta: s.delta)
        let variance = ExactRational(atLeast: Double(c) / (2 * rho), numeratorBelow: ExactSampler.varianceLimit)!
        return { data, _, run in
            var shared = SplitMix64(seed: 1)
            var totals = [Int64](repeating: 0, count: data.columns)
            for r in 0..<data.rows {
                let items = Array(data.row(r).indices)
                var order = Array(items.indices)
                if items.count > c {
                    for i in 0..<c { order.swapAt(i, i + Int(shared.next(below: UInt64(items.count - i)))) }
                    order = Array(order[0..<c])
                }
                for p in order { totals[Int(items[p])] += 1 }
            }
            var noise = ChaCha20Generator(seed: run)
            return totals.map { Double($0 + ExactSampler.discreteGaussian(variance: variance, using: &noise)) }
        }
    }

    @Test("catches finding 1: the bounding before the fix leaks far more than the ε it claims")
    func catchesSharedStream() throws {
        let s = Self.settings(runs: 600)
        let (data, times) = ReleaseAudit.randomDataset(people: 200, items: 100, maxItemsPerPerson: 10, now: Self.now, seed: 7)
        let finding = try ReleaseAudit.audit(
            data, timestamps: times, mechanism: Self.countsBeforeTheFix(settings: s),
            name: "counts before the fix", neighbour: .first, settings: s)
        #expect(!finding.consistent)
        // 95% confident that it leaks more than twice the ε it claims (2.28 on this dataset).
        #expect(finding.result.epsilonLowerBound > 2 * s.epsilon)
    }

    @Test("DP popularity and trending as released now: no contradiction", arguments: [ReleaseAudit.Release.popular, .trending])
    func popularity(release: ReleaseAudit.Release) throws {
        let s = Self.settings(runs: 600)
        let (data, times) = ReleaseAudit.randomDataset(people: 200, items: 100, maxItemsPerPerson: 10, now: Self.now, seed: 7)
        let mechanism = try ReleaseAudit.mechanism(release, settings: s)
        for neighbour in ReleaseAudit.Neighbour.allCases {
            let finding = try ReleaseAudit.audit(
                data, timestamps: times, mechanism: mechanism, name: release.rawValue,
                neighbour: neighbour, settings: s)
            #expect(finding.consistent, "\(release.rawValue) without the \(neighbour.rawValue) person: \(finding.result)")
        }
    }

    @Test("DP-ALS as released now: no contradiction")
    func privateALS() throws {
        let s = Self.settings(runs: 200)
        let (data, times) = ReleaseAudit.randomDataset(people: 60, items: 30, maxItemsPerPerson: 10, now: Self.now, seed: 8)
        let mechanism = try ReleaseAudit.mechanism(.privateALS, settings: s)
        let finding = try ReleaseAudit.audit(data, timestamps: times, mechanism: mechanism, name: "dp-als", neighbour: .first, settings: s)
        #expect(finding.consistent, "\(finding.result)")
    }

    @Test("removing a row keeps every other row and its timestamps")
    func removingRow() {
        let (data, times) = ReleaseAudit.randomDataset(people: 5, items: 20, maxItemsPerPerson: 3, now: Self.now, seed: 9)
        for r in 0..<5 {
            let (without, t) = ReleaseAudit.removing(row: r, from: data, timestamps: times)
            #expect(without.rows == 4 && without.columns == 20)
            let kept = (0..<5).filter { $0 != r }
            for (n, original) in kept.enumerated() {
                #expect(Array(without.row(n).indices) == Array(data.row(original).indices))
                let start = data.rowStart[original], end = data.rowStart[original + 1]
                #expect(Array(t![without.rowStart[n]..<without.rowStart[n + 1]]) == Array(times[start..<end]))
            }
        }
    }

    @Test("settings outside the release's range are refused with what to change")
    func refusesBadSettings() {
        var s = Self.settings(runs: 10)
        s.epsilon = 0
        #expect(throws: EngineError.self) { try ReleaseAudit.mechanism(.popular, settings: s) }
        // A budget too small for the exact sampler is refused before any run (it reached a precondition before).
        s.epsilon = 1e-12
        for release in ReleaseAudit.Release.allCases {
            #expect(throws: EngineError.self) { try ReleaseAudit.mechanism(release, settings: s) }
        }
    }
}
