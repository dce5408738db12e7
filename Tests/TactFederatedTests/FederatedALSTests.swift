import Foundation
import TactCore
import TactDevice
import TactPrivacy
import Testing

@testable import TactFederated
@testable import TactRecommend

func smallMatrix(users: Int, items: Int, perUser: Int, seed: UInt64) -> SparseMatrix {
    var r = SplitMix64(seed: seed)
    var triplets: [(row: Int32, column: Int32, value: Float)] = []
    for u in 0..<users {
        // Two taste groups, so there is structure to learn.
        let group = u % 2
        var seen = Set<Int32>()
        while seen.count < perUser {
            let i = Int32(Int(r.next() % UInt64(items / 2)) + group * items / 2)
            if seen.insert(i).inserted { triplets.append((Int32(u), i, Float(1 + r.next() % 3))) }
        }
    }
    return SparseMatrix(rows: users, columns: items, triplets: triplets)
}

@Suite struct FederatedALSTests {
    static var configuration: ALSConfiguration {
        var c = ALSConfiguration()
        c.factors = 4
        c.iterations = 3
        c.regularization = 0.5
        c.alpha = 2
        c.threads = 1
        return c
    }

    @Test func theItemStepFromSumsIsCentralizedCG() {
        let m = smallMatrix(users: 30, items: 20, perUser: 5, seed: 1)
        let c = Self.configuration
        var coordinator = FederatedALSCoordinator(items: m.columns, configuration: c)
        let y0 = coordinator.itemFactors
        let serving = ALSServing(model: ALSModel(configuration: c, userFactors: FactorMatrix(rows: 0, factors: 4), itemFactors: y0), indexThreshold: .max)
        var devices = (0..<m.rows).map { u in
            FederatedALSParticipant(history: zip(m.row(u).indices, m.row(u).values).map { ($0, $1) }, items: m.columns, configuration: c)
        }
        for i in devices.indices { devices[i].updateUserVector(serving) }
        func sum(_ messages: [[Float]]) -> [Double] {
            var s = [Double](repeating: 0, count: messages[0].count)
            for msg in messages { for i in msg.indices { s[i] += Double(msg[i]) } }
            return s
        }
        var direction = coordinator.begin(residualSum: sum(devices.map { $0.residualMessage(y0) }))
        var steps = 0
        while let p = direction {
            direction = coordinator.advance(productSum: sum(devices.map { $0.productMessage(p) }))
            steps += 1
        }
        #expect(steps == 3)

        // The same half-step, centralized.
        var x = FactorMatrix(rows: m.rows, factors: 4)
        for u in 0..<m.rows { for f in 0..<4 { x.storage[u * x.stride + f] = devices[u].userVector[f] } }
        var y = y0
        LeastSquaresSolver.solve(
            confidence: m.transposed(), offset: 1, scale: c.alpha, x: &y, y: x,
            gram: GramMatrix.compute(x, regularization: c.regularization, threads: 1), solver: .conjugateGradient(steps: 3), threads: 1)
        var largest: Float = 0
        for i in 0..<m.columns {
            for f in 0..<4 { largest = max(largest, abs(y.storage[i * y.stride + f] - coordinator.itemFactors.storage[i * y.stride + f])) }
        }
        #expect(largest < 1e-4)
    }

    @Test func federatedTrainingThroughSecureAggregationMatchesThePlainSums() throws {
        let m = smallMatrix(users: 24, items: 16, perUser: 4, seed: 2)
        var options = FederatedTrainingOptions(als: Self.configuration)
        options.bound = 256
        let secure = try FederatedTraining.run(m, options: options, threads: 2)
        #expect(secure.rounds.count == 3)
        for r in secure.rounds {
            #expect(r.aggregations == 4)
            #expect(r.summed == 24)
            #expect(r.clampedValues == 0)
            #expect(r.largestAggregationError <= FixedPointCodec(participants: 24, bound: 256).sumError(participants: 24))
            #expect(r.bytesUp > Double(4 * (16 * 4)) && r.bytesDown > Double(4 * 16 * 4))
        }
        // The model learned the two taste groups: a person's top items come from their own group.
        let serving = ALSServing(model: secure.model, indexThreshold: .max)
        var right = 0
        for u in 0..<m.rows {
            let top = serving.recommendExact(serving.userVector(u), k: 3, excluding: Set(m.row(u).indices))
            right += top.filter { Int($0.item) / 8 == u % 2 }.count
        }
        #expect(right >= 60)  // of 72
    }

    @Test func federatedDPALSSpendsExactlyItsBudgetThroughDropouts() throws {
        let m = smallMatrix(users: 60, items: 12, perUser: 4, seed: 3)
        var c = Self.configuration
        c.iterations = 2
        var options = FederatedTrainingOptions(als: c)
        options.dropout = 0.1
        options.epsilon = 8
        options.privateALS.maxItemsPerPerson = 3
        options.seed = 5
        let result = try FederatedTraining.run(m, options: options, threads: 2)
        #expect(result.rounds.count == 2)
        #expect(result.rounds[0].aggregations == 2 && result.rounds[1].aggregations == 1)  // counts, then statistics
        let total = try #require(result.epsilon)
        #expect(total <= 8 + 1e-9 && total > 7.9)
        #expect(result.rounds[0].epsilonTotal! < result.rounds[1].epsilonTotal!)
        #expect(abs(result.rounds[1].epsilonTotal! - total) < 1e-9)
    }

    @Test func federatedDPALSReleasesWhatCentralizedDPALSReleases() throws {
        // With every device in and no dropouts, the sums are DP-ALS's sums and the noise is drawn from
        // the same seeded streams: the item factors agree (the devices' sampled bounds are all the items here).
        let m = smallMatrix(users: 80, items: 10, perUser: 3, seed: 6)
        var c = Self.configuration
        c.iterations = 2
        var options = FederatedTrainingOptions(als: c)
        options.epsilon = 4
        options.seed = 2
        let federated = try FederatedTraining.run(m, options: options, threads: 1)
        var p = options.privateConfiguration
        p.threads = 1
        let central = PrivateALS.train(m, configuration: p, noise: .seeded(options.seed &* 7919))
        var largest: Float = 0
        for (a, b) in zip(federated.model.itemFactors.storage, central.model.itemFactors.storage) { largest = max(largest, abs(a - b)) }
        #expect(largest < 1e-3)
        #expect(abs(federated.epsilon! - central.epsilon) < 1e-9)
    }
}

@Suite struct TelemetrySimulationTests {
    @Test func popularItemsComeOutOnTopUnderLocalDP() throws {
        // 4,000 devices; item 0 is in every history, items 1–4 in half, the rest rare.
        var triplets: [(row: Int32, column: Int32, value: Float)] = []
        var r = SplitMix64(seed: 9)
        for u in 0..<4000 {
            triplets.append((Int32(u), 0, 1))
            if u % 2 == 0 { triplets.append((Int32(u), Int32(1 + u % 4), 1)) }
            triplets.append((Int32(u), Int32(5 + r.next() % 45), 1))
        }
        let m = SparseMatrix(rows: 4000, columns: 50, triplets: triplets)
        let result = try TelemetrySimulation.run(
            m, items: (0..<50).map { "i\($0)" }, sketch: CountMeanSketch(hashes: 64, width: 256, epsilon: 4),
            reportsPerDevice: 2, seed: 1)
        #expect(result.reports == 8000)
        #expect(result.epsilonPerDevice == 8)
        #expect(result.rootMeanSquareError < 3 * result.predictedStandardDeviation)
        #expect(abs(result.largestEstimate - Double(result.largestTrueCount)) < 4 * result.predictedStandardDeviation)
        #expect(result.top10Overlap >= 5)
    }
}
