import Foundation
import TactCore
import TactPrivacy
import Testing

@testable import TactRecommend

/// People in taste groups: each of `users` people belongs to one of `groups` groups and has 12–36
/// items, 90% from their group's items (popular ones more often), 10% from anywhere.
func plantedTastes(users: Int = 3_000, items: Int = 200, groups: Int = 5, seed: UInt64 = 3) -> SparseMatrix {
    var random = SplitMix64(seed: seed)
    var triplets: [(row: Int32, column: Int32, value: Float)] = []
    let perGroup = items / groups
    for u in 0..<users {
        let group = u % groups
        let count = 12 + Int(random.next(below: 25))
        var chosen = Set<Int>()
        while chosen.count < count {
            if random.next(below: 10) == 0 {
                chosen.insert(Int(random.next(below: UInt64(items))))
            } else {
                // Within the group, a skew toward its first items: the smaller of two uniform picks.
                let a = Int(random.next(below: UInt64(perGroup))), b = Int(random.next(below: UInt64(perGroup)))
                chosen.insert(group * perGroup + min(a, b))
            }
        }
        for item in chosen { triplets.append((Int32(u), Int32(item), 1)) }
    }
    return SparseMatrix(rows: users, columns: items, triplets: triplets)
}

@Suite struct ContributionBoundTests {
    @Test("a sample keeps at most c items per person, rows under the bound whole, and is the same for a key")
    func sampleBound() {
        let m = plantedTastes(users: 300)
        let bounded = ContributionBound.sample(m, maxItems: 15, key: ContributionKey(seed: 4)).matrix
        #expect(ContributionBound.largestRow(m) > 15)
        #expect(ContributionBound.largestRow(bounded) == 15)
        for r in 0..<m.rows {
            let original = Set(m.row(r).indices), kept = Set(bounded.row(r).indices)
            #expect(kept.isSubset(of: original))
            #expect(kept.count == min(15, original.count))
        }
        #expect(ContributionBound.sample(m, maxItems: 15, key: ContributionKey(seed: 4)).matrix == bounded)
        #expect(ContributionBound.sample(m, maxItems: 15, key: ContributionKey(seed: 5)).matrix != bounded)
    }

    @Test("a person's sample depends only on their own row and the key: not on row order, nor on anyone else")
    func sampleIsPersonal() {
        let m = plantedTastes(users: 200)
        let key = ContributionKey(seed: 9)
        let bounded = ContributionBound.sample(m, maxItems: 10, key: key).matrix
        func rows(_ order: [Int]) -> SparseMatrix {
            var triplets: [(row: Int32, column: Int32, value: Float)] = []
            for (r, source) in order.enumerated() { for i in m.row(source).indices { triplets.append((Int32(r), i, 1)) } }
            return SparseMatrix(rows: order.count, columns: m.columns, triplets: triplets)
        }
        let reversed = ContributionBound.sample(rows(Array((0..<m.rows).reversed())), maxItems: 10, key: key).matrix
        for r in 0..<m.rows { #expect(Array(bounded.row(r).indices) == Array(reversed.row(m.rows - 1 - r).indices), "row \(r)") }
        for r in [0, 57, 199] {
            #expect(Array(ContributionBound.sample(rows([r]), maxItems: 10, key: key).matrix.row(0).indices) == Array(bounded.row(r).indices))
        }
        // Another key, another sample; the sample is not the row's first items.
        #expect(ContributionBound.sample(m, maxItems: 10, key: ContributionKey(seed: 10)).matrix != bounded)
        #expect((0..<m.rows).contains { m.count(ofRow: $0) > 10 && Array(bounded.row($0).indices) != Array(m.row($0).indices.prefix(10)) })
    }

    @Test("latest keeps each person's most recent items")
    func latestBound() {
        let m = SparseMatrix(rows: 1, columns: 5, triplets: (0..<5).map { (0, Int32($0), 1) })
        let (bounded, times) = ContributionBound.latest(m, timestamps: [50, 10, 40, 30, 20], maxItems: 2)
        #expect(Array(bounded.row(0).indices) == [0, 2])
        #expect(times == [50, 40])
    }
}

@Suite struct PrivatePopularityTests {
    @Test("no person counts toward more than c items, and with negligible noise the ranking is the bounded counts'")
    func boundAndRanking() {
        let m = plantedTastes(users: 500)
        var g = ChaCha20Generator(seed: 1)
        let release = PrivatePopularity(m, maxItemsPerPerson: 10, noise: .gaussian(rho: 1e8), key: ContributionKey(seed: 2), using: &g)
        #expect(release.largestContribution == 10)
        let bounded = ContributionBound.sample(m, maxItems: 10, key: ContributionKey(seed: 2)).matrix
        var counts = [Double](repeating: 0, count: m.columns)
        for n in 0..<bounded.nonZeros { counts[Int(bounded.indices[n])] += 1 }
        #expect(zip(release.scores, counts).allSatisfy { abs($0 - $1) <= 0.5 + 1e-9 })
        #expect(counts.reduce(0, +) <= Double(10 * m.rows))
    }

    @Test("the noise has the deviation the release states, and the accountant charges what was asked")
    func noiseAndCharge() {
        let m = SparseMatrix(rows: 1, columns: 20_000, triplets: [(0, 0, 1)])
        var g = ChaCha20Generator(seed: 3)
        let rho = PrivacyAccountant.zCDPBudget(epsilon: 1, delta: 1e-5)
        let release = PrivatePopularity(m, maxItemsPerPerson: 25, noise: .gaussian(rho: rho), key: ContributionKey(seed: 1), using: &g)
        #expect(abs(release.noiseStandardDeviation - (25 / (2 * rho)).squareRoot()) / release.noiseStandardDeviation < 1e-6)
        let noise = release.scores.dropFirst()
        let sd = (noise.map { $0 * $0 }.reduce(0, +) / Double(noise.count)).squareRoot()
        #expect(abs(sd / release.noiseStandardDeviation - 1) < 0.03)
        var accountant = PrivacyAccountant()
        accountant.compose(release.event)
        #expect(accountant.epsilon(delta: 1e-5) <= 1)
        #expect(accountant.epsilon(delta: 1e-5) > 0.999)

        let laplace = PrivatePopularity(m, maxItemsPerPerson: 25, noise: .laplace(epsilon: 0.5), key: ContributionKey(seed: 1), using: &g)
        #expect(laplace.event == .pure(epsilon: 0.5))
        #expect(abs(laplace.noiseStandardDeviation - 50 * 2.0.squareRoot()) < 1e-6)
    }

    @Test("trending weighs recent events over old ones, and still counts no person toward more than c items")
    func trending() {
        // Item 0: 30 people long ago; item 1: 20 people today.
        var triplets: [(row: Int32, column: Int32, value: Float)] = []
        var times: [Int64] = []
        for u in 0..<50 { triplets.append((Int32(u), u < 30 ? 0 : 1, 1)) }
        let m = SparseMatrix(rows: 50, columns: 2, triplets: triplets)
        let now: Int64 = 100 * 86_400
        for n in 0..<m.nonZeros { times.append(m.indices[n] == 0 ? now - 60 * 86_400 : now) }
        var g = ChaCha20Generator(seed: 4)
        let popular = PrivatePopularity(m, timestamps: times, maxItemsPerPerson: 5, noise: .gaussian(rho: 1e6), key: ContributionKey(seed: 1), using: &g)
        let trending = PrivatePopularity(
            m, timestamps: times, trend: .init(halfLifeDays: 7, now: now), maxItemsPerPerson: 5,
            noise: .gaussian(rho: 1e6), key: ContributionKey(seed: 1), using: &g)
        #expect(popular.model.ranking.first == 0)
        #expect(trending.model.ranking.first == 1)
        #expect(trending.largestContribution <= 5)
    }
}

@Suite struct PrivateALSTests {
    static func configuration(epsilon: Double, matrixShare: Double = 0) -> PrivateALSConfiguration {
        var c = PrivateALSConfiguration()
        c.factors = 8
        c.epsilon = epsilon
        c.matrixShare = matrixShare
        c.maxItemsPerPerson = 20
        c.threads = 2
        return c
    }

    @Test("each person's integer contributions stay within their bound after rounding, whatever their vector's norm")
    func contributionNorms() {
        var users = FactorMatrix(rows: 500, factors: 8)
        var random = SplitMix64(seed: 8)
        for i in 0..<users.storage.count { users.storage[i] = Float(random.unit() * 20 - 10) * (i % 3 == 0 ? 0.001 : 1) }
        for f in 0..<users.stride { users.storage[f] = 0 }  // a person with a zero vector
        for scale in [4.0, 37.0, 4096.0] {
            let contributions = IntegerContributions(users: users, gamma: 1, matrixScale: scale, vectorScale: scale, threads: 2)
            for person in 0..<users.rows {
                let (m, v) = contributions.squaredNorms(of: person)
                #expect(Double(m) <= scale * scale)
                #expect(Double(v) <= scale * scale)
            }
        }
    }

    @Test("the accountant's ε is the configured one (spent, not exceeded), with and without per-item matrices; contributions stay bounded")
    func accounting() {
        let m = plantedTastes(users: 600)
        for (epsilon, share) in [(1.0, 0.0), (4.0, 0.45)] {
            let result = PrivateALS.train(m, configuration: Self.configuration(epsilon: epsilon, matrixShare: share), noise: .seeded(1))
            #expect(result.epsilon <= epsilon)
            #expect(result.epsilon > epsilon * 0.99)
            #expect(result.largestContribution <= 20)
            // Counts, then per iteration: G and the vectors (and the matrices when released).
            #expect(result.accountant.events.count == 1 + 2 * (share > 0 ? 3 : 2))
        }
    }

    @Test("seeded noise repeats; secure noise differs between runs")
    func noiseSources() {
        let m = plantedTastes(users: 300)
        let c = Self.configuration(epsilon: 2)
        #expect(PrivateALS.train(m, configuration: c, noise: .seeded(5)).model == PrivateALS.train(m, configuration: c, noise: .seeded(5)).model)
        #expect(PrivateALS.train(m, configuration: c).model.itemFactors != PrivateALS.train(m, configuration: c).model.itemFactors)
    }

    @Test("on planted tastes DP-ALS at ε = 4 finds the groups: recall@10 well above private popularity's")
    func utility() {
        let (train, test) = EvaluationSplit.randomPerUser(plantedTastes(), testFraction: 0.2, seed: 1)
        let result = PrivateALS.train(train, configuration: Self.configuration(epsilon: 4), noise: .seeded(2))
        var g = ChaCha20Generator(seed: 3)
        let popularity = PrivatePopularity(
            train, maxItemsPerPerson: 20, noise: .gaussian(rho: PrivacyAccountant.zCDPBudget(epsilon: 4, delta: 1e-5)),
            key: ContributionKey(seed: 1), using: &g
        ).model
        let serving = ALSServing(model: result.model, indexThreshold: .max)
        let dpALS = RankingMetrics.evaluate(k: 10, train: train, test: test) { user, k in
            serving.recommendExact(serving.userVector(user), k: k, excluding: Set(train.row(user).indices)).map(\.item)
        }
        let popular = RankingMetrics.evaluate(k: 10, train: train, test: test) { user, k in
            popularity.recommend(k: k, excluding: Set(train.row(user).indices.map(Int.init))).map { Int32($0.item) }
        }
        #expect(dpALS.recall > 1.5 * popular.recall, "DP-ALS \(dpALS.recall) vs DP popularity \(popular.recall)")
    }
}
