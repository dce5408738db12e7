import Foundation
import TactCore
import TactDevice
import TactPrivacy
import TactRecommend

/// Federated iALS over a dataset where each person is a device, run in process: every device is a
/// `FederatedALSParticipant` holding only its own row, every sum goes through a real secure-aggregation
/// round (`SecureAggregationRun`), and the server is a `FederatedALSCoordinator` that never sees an
/// individual message. What `tact federated simulate` and the benchmark run.
public enum FederatedTraining {
    /// Assumed link speeds for the simulated round time: 10 Mbit/s up, 50 Mbit/s down.
    public static let uplinkBytesPerSecond = 1.25e6
    public static let downlinkBytesPerSecond = 6.25e6

    public struct Result: Sendable {
        /// Item factors from the rounds, user factors as the devices hold them (gathered here only to evaluate).
        public var model: ALSModel
        public var rounds: [FederatedRoundReport]
        /// ε of the whole training at δ (nil without DP).
        public var epsilon: Double?
        public var seconds: Double
    }

    public static func run(_ matrix: SparseMatrix, options: FederatedTrainingOptions, threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                           progress: ((FederatedRoundReport) -> Void)? = nil) throws -> Result {
        let started = Date()
        let als = options.als, k = als.factors, items = matrix.columns
        var devices = (0..<matrix.rows).map { u -> FederatedALSParticipant in
            let row = matrix.row(u)
            return FederatedALSParticipant(history: zip(row.indices, row.values).map { ($0, $1) }, items: items, configuration: als)
        }
        let active = devices.indices.filter { !devices[$0].history.isEmpty }
        var coordinator = FederatedALSCoordinator(items: items, configuration: als)
        var accountant = PrivacyAccountant()
        var noise = ChaCha20Generator(seed: options.seed &+ 0x5EC0)
        var sampler = SplitMix64(seed: options.seed)
        var reports: [FederatedRoundReport] = []
        let clip: Float? = options.epsilon == nil ? nil : options.clipNorm

        for round in 1...max(als.iterations, 1) {
            var chosen = active
            if let count = options.devicesPerRound, count < chosen.count {
                for i in stride(from: chosen.count - 1, to: 0, by: -1) { chosen.swapAt(i, Int(sampler.next() % UInt64(i + 1))) }
                chosen = Array(chosen.prefix(count)).sorted()
            }
            let graph = options.maskGraph(devices: chosen.count)
            let codec = FixedPointCodec(participants: chosen.count, bound: options.bound)
            var deviceCPU = [Double](repeating: 0, count: chosen.count)
            var bytesUp: Double = 0, bytesDown = Double(4 * items * k)   // the item factors come down
            var serverSeconds: Double = 0, slowestSteps: Double = 0, transfer = Double(4 * items * k) / downlinkBytesPerSecond
            var largestError: Double = 0, clamped = 0, summedFirst = 0, aggregations = 0
            var roundAccountant = PrivacyAccountant()

            // Every device computes YᵀY + λI from the item factors it downloaded: computed once here,
            // and its time charged to every device.
            let gramStart = SecureAggregationRun.threadCPUSeconds()
            let serving = ALSServing(model: ALSModel(configuration: als, userFactors: FactorMatrix(rows: 0, factors: k), itemFactors: coordinator.itemFactors),
                                     indexThreshold: Int.max)
            let gramSeconds = SecureAggregationRun.threadCPUSeconds() - gramStart
            for i in chosen.indices { deviceCPU[i] += gramSeconds }

            // The user step, on each device.
            var userStep = [Double](repeating: 0, count: chosen.count)
            try devices.withUnsafeMutableBufferPointer { buffer in
                let slots = UncheckedSendable(buffer)
                _ = try SecureAggregationRun.parallelMapThrowing(Array(chosen.indices), threads: threads, cpu: &userStep) { i in
                    slots.value[chosen[i]].updateUserVector(serving)
                }
            }
            for i in chosen.indices { deviceCPU[i] += userStep[i] }
            slowestSteps += userStep.max() ?? 0

            // Secure aggregation's CPU per device (the median device's, summed over the round's aggregations).
            var protocolCPU: Double = 0

            /// One aggregation of the chosen devices' messages, with dropouts and (with DP) noise.
            func aggregate(_ make: @escaping (FederatedALSParticipant) -> [Float]) throws -> [Double] {
                var messageCPU = [Double](repeating: 0, count: chosen.count)
                let snapshot = devices
                let messages = try SecureAggregationRun.parallelMapThrowing(Array(chosen.indices), threads: threads, cpu: &messageCPU) { i in
                    make(snapshot[chosen[i]])
                }
                for i in chosen.indices { deviceCPU[i] += messageCPU[i] }
                var outcome: SecureAggregationRun.Outcome?
                var attempt = 0
                while outcome == nil {
                    let drops = chosen.map { _ -> DropoutStep? in
                        guard options.dropout > 0, sampler.unit() < options.dropout else { return nil }
                        return DropoutStep.allCases[Int(sampler.next() % 4)]
                    }
                    do {
                        outcome = try SecureAggregationRun.run(messages, codec: codec, graph: graph,
                                                               round: UInt64(round) << 32 | UInt64(aggregations) << 8 | UInt64(attempt),
                                                               dropouts: drops, threads: threads)
                    } catch let error as SecureAggregationError {
                        attempt += 1
                        if attempt >= 3 { throw error }   // a real server abandons the round; the simulation retries twice
                    }
                }
                let o = outcome!
                bytesUp += o.cost.bytesUp
                bytesDown += o.cost.bytesDown
                serverSeconds += o.cost.serverSeconds
                slowestSteps += (messageCPU.max() ?? 0) + o.cost.deviceSecondsMax + o.cost.serverSeconds
                transfer += (o.cost.bytesUp / uplinkBytesPerSecond) + (o.cost.bytesDown / downlinkBytesPerSecond)
                protocolCPU += o.cost.deviceSecondsMedian
                largestError = max(largestError, o.largestError)
                clamped += o.clamped
                if aggregations == 0 { summedFirst = o.devices.count }
                aggregations += 1
                guard let rho = options.rhoPerAggregate else { return o.sum }
                let noiseStart = SecureAggregationRun.threadCPUSeconds()
                let (noisy, _) = DiscretizedNoise.gaussian(o.sum, sensitivity: Double(options.clipNorm), changedCoordinates: o.sum.count, rho: rho, using: &noise)
                serverSeconds += SecureAggregationRun.threadCPUSeconds() - noiseStart
                accountant.compose(.zCDP(rho: rho))
                roundAccountant.compose(.zCDP(rho: rho))
                return noisy
            }
            let y = coordinator.itemFactors
            let residual = try aggregate { $0.residualMessage(y, clipNorm: clip) }
            var cgStart = SecureAggregationRun.threadCPUSeconds()
            var direction = coordinator.begin(residualSum: residual)
            serverSeconds += SecureAggregationRun.threadCPUSeconds() - cgStart
            while let p = direction {
                bytesDown += Double(4 * items * k)   // the direction comes down
                transfer += Double(4 * items * k) / downlinkBytesPerSecond
                let product = try aggregate { $0.productMessage(p, clipNorm: clip) }
                cgStart = SecureAggregationRun.threadCPUSeconds()
                direction = coordinator.advance(productSum: product)
                serverSeconds += SecureAggregationRun.threadCPUSeconds() - cgStart
            }
            let sortedCPU = deviceCPU.sorted()
            let report = FederatedRoundReport(
                round: round, devices: chosen.count, summed: summedFirst, aggregations: aggregations,
                bytesUp: bytesUp, bytesDown: bytesDown,
                deviceMilliseconds: ((sortedCPU.isEmpty ? 0 : sortedCPU[sortedCPU.count / 2]) + protocolCPU) * 1000,
                serverMilliseconds: serverSeconds * 1000, roundSeconds: slowestSteps + transfer,
                largestAggregationError: largestError, clampedValues: clamped,
                epsilonRound: options.epsilon == nil ? nil : roundAccountant.epsilon(delta: options.delta),
                epsilonTotal: options.epsilon == nil ? nil : accountant.epsilon(delta: options.delta))
            reports.append(report)
            progress?(report)
        }

        var x = FactorMatrix(rows: matrix.rows, factors: k)
        for (u, device) in devices.enumerated() {
            for f in 0..<k { x.storage[u * x.stride + f] = device.userVector[f] }
        }
        let model = ALSModel(configuration: als, userFactors: x, itemFactors: coordinator.itemFactors)
        return Result(model: model, rounds: reports, epsilon: options.epsilon == nil ? nil : accountant.epsilon(delta: options.delta),
                      seconds: Date().timeIntervalSince(started))
    }
}
