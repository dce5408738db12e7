import Foundation
import TactCore
import TactDevice
import TactPrivacy
import TactRecommend

/// Federated training over a dataset where each person is a device, run in process: every device
/// holds only its own row, every sum goes through a real secure-aggregation round
/// (`SecureAggregationRun`), and the server never sees an individual message. Without an ε it is
/// federated iALS (`FederatedALSCoordinator`: exactly centralized CG); with one it is federated
/// DP-ALS (`FederatedPrivateALS`: the release of centralized DP-ALS). What `tact federated simulate`
/// and the benchmark run.
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

    public static func run(
        _ matrix: SparseMatrix, options: FederatedTrainingOptions, threads: Int = ProcessInfo.processInfo.activeProcessorCount,
        progress: ((FederatedRoundReport) -> Void)? = nil
    ) throws -> Result {
        var simulation = Simulation(matrix: matrix, options: options, threads: threads)
        if options.epsilon != nil { return try simulation.runPrivate(progress: progress) }
        return try simulation.runPlain(progress: progress)
    }

    /// The state the two kinds of training share: the devices, the sampler, and one round's tally.
    struct Simulation {
        let matrix: SparseMatrix
        let options: FederatedTrainingOptions
        let threads: Int
        let items: Int, k: Int
        var participants: [FederatedALSParticipant]
        let active: [Int]
        var sampler: SplitMix64
        let started = Date()

        // One round's tally.
        var chosen: [Int] = []
        var deviceCPU: [Double] = []
        var protocolCPU: Double = 0
        var bytesUp: Double = 0, bytesDown: Double = 0
        var serverSeconds: Double = 0, slowestSteps: Double = 0, transfer: Double = 0
        var largestError: Double = 0, clamped = 0, summedFirst = 0, aggregations = 0

        init(matrix: SparseMatrix, options: FederatedTrainingOptions, threads: Int) {
            self.matrix = matrix
            self.options = options
            self.threads = threads
            items = matrix.columns
            k = options.als.factors
            var solve = options.als
            if options.epsilon != nil { solve = FederatedPrivateALS(options.privateConfiguration).userSolve }
            let devices = (0..<matrix.rows).map { u in
                let row = matrix.row(u)
                // DP-ALS counts each interaction once, whatever its value.
                let values = options.epsilon == nil ? Array(row.values) : Array(repeating: 1, count: row.values.count)
                return FederatedALSParticipant(history: zip(row.indices, values).map { ($0, $1) }, items: matrix.columns, configuration: solve)
            }
            participants = devices
            active = devices.indices.filter { !devices[$0].history.isEmpty }
            sampler = SplitMix64(seed: options.seed)
        }

        /// Starts a round's tally and picks the devices taking part.
        mutating func beginRound() {
            chosen = active
            if let count = options.devicesPerRound, count < chosen.count {
                for i in stride(from: chosen.count - 1, to: 0, by: -1) { chosen.swapAt(i, Int(sampler.next() % UInt64(i + 1))) }
                chosen = Array(chosen.prefix(count)).sorted()
            }
            deviceCPU = [Double](repeating: 0, count: chosen.count)
            protocolCPU = 0
            bytesUp = 0; bytesDown = 0; transfer = 0
            serverSeconds = 0; slowestSteps = 0; largestError = 0; clamped = 0; summedFirst = 0; aggregations = 0
        }

        /// Broadcasts the item factors and runs the user step on each chosen device.
        mutating func userStep(itemFactors: FactorMatrix, solve: ALSConfiguration) throws {
            bytesDown += Double(4 * items * k)
            transfer += Double(4 * items * k) / FederatedTraining.downlinkBytesPerSecond
            // Every device computes YᵀY + λI from what it downloaded: computed once here, its time charged to each.
            let gramStart = SecureAggregationRun.threadCPUSeconds()
            let serving = ALSServing(
                model: ALSModel(configuration: solve, userFactors: FactorMatrix(rows: 0, factors: k), itemFactors: itemFactors),
                indexThreshold: Int.max)
            let gramSeconds = SecureAggregationRun.threadCPUSeconds() - gramStart
            var userStep = [Double](repeating: 0, count: chosen.count)
            let chosen = self.chosen
            try participants.withUnsafeMutableBufferPointer { buffer in
                let slots = UncheckedSendable(buffer)
                _ = try SecureAggregationRun.parallelMapThrowing(Array(chosen.indices), threads: threads, cpu: &userStep) { i in
                    slots.value[chosen[i]].updateUserVector(serving)
                }
            }
            for i in chosen.indices { deviceCPU[i] += gramSeconds + userStep[i] }
            slowestSteps += gramSeconds + (userStep.max() ?? 0)
        }

        /// One secure aggregation of the chosen devices' words, with dropouts (retried twice if too many drop).
        mutating func aggregate(length: Int, input: @escaping (Int) -> [UInt32]) throws -> (sum: [UInt32], devices: [UInt32]) {
            var messageCPU = [Double](repeating: 0, count: chosen.count)
            let chosen = self.chosen
            let words = try SecureAggregationRun.parallelMapThrowing(Array(chosen.indices), threads: threads, cpu: &messageCPU) { i in input(chosen[i]) }
            for i in chosen.indices { deviceCPU[i] += messageCPU[i] }
            var attempt = 0
            while true {
                let drops = chosen.map { _ -> DropoutStep? in
                    guard options.dropout > 0, sampler.unit() < options.dropout else { return nil }
                    return DropoutStep.allCases[Int(sampler.next() % 4)]
                }
                do {
                    let round = UInt64(aggregations) << 8 | UInt64(attempt) | UInt64(chosen.count) << 32
                    let (sum, devices, cost) = try SecureAggregationRun.runWords(
                        devices: chosen.count, length: length, graph: options.maskGraph(devices: chosen.count),
                        round: round, dropouts: drops, threads: threads
                    ) { words[$0] }
                    bytesUp += cost.bytesUp
                    bytesDown += cost.bytesDown
                    serverSeconds += cost.serverSeconds
                    slowestSteps += (messageCPU.max() ?? 0) + cost.deviceSecondsMax + cost.serverSeconds
                    transfer += cost.bytesUp / FederatedTraining.uplinkBytesPerSecond + cost.bytesDown / FederatedTraining.downlinkBytesPerSecond
                    protocolCPU += cost.deviceSecondsMedian
                    if aggregations == 0 { summedFirst = devices.count }
                    aggregations += 1
                    // The devices' positions in the round, back to rows of the matrix.
                    return (sum, devices.map { UInt32(chosen[Int($0) - 1]) })
                } catch let error as SecureAggregationError {
                    attempt += 1
                    if attempt >= 3 { throw error }  // a real server abandons the round; the simulation retries twice
                }
            }
        }

        /// Server work outside secure aggregation (CG, noise, solves), timed.
        mutating func server<T>(_ body: () throws -> T) rethrows -> T {
            let start = SecureAggregationRun.threadCPUSeconds()
            defer { let s = SecureAggregationRun.threadCPUSeconds() - start; serverSeconds += s; slowestSteps += s }
            return try body()
        }

        func report(round: Int, epsilonRound: Double?, epsilonTotal: Double?) -> FederatedRoundReport {
            let sorted = deviceCPU.sorted()
            return FederatedRoundReport(
                round: round, devices: chosen.count, summed: summedFirst, aggregations: aggregations, bytesUp: bytesUp, bytesDown: bytesDown,
                deviceMilliseconds: ((sorted.isEmpty ? 0 : sorted[sorted.count / 2]) + protocolCPU) * 1000,
                serverMilliseconds: serverSeconds * 1000, roundSeconds: slowestSteps + transfer,
                largestAggregationError: largestError, clampedValues: clamped, epsilonRound: epsilonRound, epsilonTotal: epsilonTotal)
        }

        func result(items y: FactorMatrix, configuration: ALSConfiguration, reports: [FederatedRoundReport], epsilon: Double?) -> Result {
            var x = FactorMatrix(rows: matrix.rows, factors: k)
            for (u, device) in participants.enumerated() {
                for f in 0..<k { x.storage[u * x.stride + f] = device.userVector[f] }
            }
            return Result(
                model: ALSModel(configuration: configuration, userFactors: x, itemFactors: y), rounds: reports, epsilon: epsilon,
                seconds: Date().timeIntervalSince(started))
        }

        /// Federated iALS: a residual and one product aggregation per CG step, each a fixed-point sum.
        mutating func runPlain(progress: ((FederatedRoundReport) -> Void)?) throws -> Result {
            var coordinator = FederatedALSCoordinator(items: items, configuration: options.als)
            var reports: [FederatedRoundReport] = []
            for round in 1...max(options.als.iterations, 1) {
                beginRound()
                try userStep(itemFactors: coordinator.itemFactors, solve: options.als)
                let codec = FixedPointCodec(participants: chosen.count, bound: options.bound)
                let y = coordinator.itemFactors
                let residual = try aggregateReals(codec: codec) { $0.residualMessage(y) }
                var direction = server { coordinator.begin(residualSum: residual) }
                while let p = direction {
                    bytesDown += Double(4 * items * k)  // the direction comes down
                    transfer += Double(4 * items * k) / FederatedTraining.downlinkBytesPerSecond
                    let product = try aggregateReals(codec: codec) { $0.productMessage(p) }
                    direction = server { coordinator.advance(productSum: product) }
                }
                let r = report(round: round, epsilonRound: nil, epsilonTotal: nil)
                reports.append(r)
                progress?(r)
            }
            return result(items: coordinator.itemFactors, configuration: options.als, reports: reports, epsilon: nil)
        }

        /// A fixed-point sum of real messages, checked against their plain sum.
        mutating func aggregateReals(codec: FixedPointCodec, _ make: @escaping (FederatedALSParticipant) -> [Float]) throws -> [Double] {
            let devices = participants
            let length = make(devices[chosen[0]]).count
            let (wrapped, summed) = try aggregate(length: length) { d in codec.encode(make(devices[d])).words }
            let sum = server { codec.decode(wrapped) }
            // The plain sum of the same clamped messages: the secure sum must match it up to rounding.
            var plain = [Double](repeating: 0, count: sum.count)
            for d in summed {
                for (i, value) in make(devices[Int(d)]).enumerated() {
                    let v = min(max(value, -codec.bound), codec.bound)
                    if v != value { clamped += 1 }
                    plain[i] += Double(v)
                }
            }
            largestError = max(largestError, zip(sum, plain).reduce(0) { max($0, abs($1.0 - $1.1)) })
            return sum
        }

        /// Federated DP-ALS: a count aggregation for coverage, then one statistics aggregation per round,
        /// each noised by the server exactly as centralized DP-ALS noises its sums.
        mutating func runPrivate(progress: ((FederatedRoundReport) -> Void)?) throws -> Result {
            let plan = FederatedPrivateALS(options.privateConfiguration)
            // Integer contributions of up to 2¹² each: a sum of more devices could wrap in Z_2^32.
            guard min(options.devicesPerRound ?? active.count, active.count) <= FederatedPrivateALS.maximumDevices else {
                throw SecureAggregationError.phase("federated DP-ALS sums at most \(FederatedPrivateALS.maximumDevices) devices per round; use --clients")
            }
            // Simulations seed the noise so runs repeat; a release draws it from the secure generator.
            let source = PrivateALS.NoiseSource.seeded(options.seed &* 7919)
            var accountant = PrivacyAccountant()
            // Each device's bounded history, drawn on the device.
            let bounded = participants.indices.map { u -> [Int32] in
                var random = ChaCha20Generator(seed: options.seed ^ (UInt64(u) &* 0x9E37_79B9_7F4A_7C15))
                return plan.boundedHistory(participants[u].history.map(\.item), using: &random)
            }
            var reports: [FederatedRoundReport] = []
            var covered = [Bool](repeating: true, count: items)
            var noisyCounts: [Int64]?
            var y = plan.initialItems(items: items, covered: covered, noisyCounts: nil)
            var coveredItems = Array(0..<items)
            var slots: [Int?] = Array(0..<items)
            for round in 1...max(options.als.iterations, 1) {
                var roundAccountant = PrivacyAccountant()
                beginRound()
                if round == 1 && plan.countRho > 0 {
                    // Which items the model covers: noisy counts of the bounded histories.
                    let items = self.items
                    let (countSum, _) = try aggregate(length: items) { plan.countMessage(bounded: bounded[$0], items: items) }
                    let coverage = server { plan.coverage(countSum: countSum, source: source) }
                    covered = coverage.covered
                    noisyCounts = coverage.noisyCounts
                    for e in coverage.events { accountant.compose(e); roundAccountant.compose(e) }
                    coveredItems = covered.indices.filter { covered[$0] }
                    var position = 0
                    slots = covered.map { c in
                        c
                            ? {
                                defer { position += 1 }; return position
                            }() : nil
                    }
                    y = plan.initialItems(items: items, covered: covered, noisyCounts: noisyCounts)
                }
                try userStep(itemFactors: y, solve: plan.userSolve)
                let devices = participants, slotsNow = slots
                let (sum, _) = try aggregate(length: plan.statisticsLength(coveredItems: coveredItems.count)) { d in
                    plan.statisticsMessage(userVector: devices[d].userVector, bounded: bounded[d], slots: slotsNow)
                }
                let covering = coveredItems, workers = threads
                var solved = y
                let events = server {
                    plan.solveItems(statisticsSum: sum, coveredItems: covering, iteration: round, source: source, into: &solved, threads: workers)
                }
                y = solved
                for e in events { accountant.compose(e); roundAccountant.compose(e) }
                let r = report(
                    round: round, epsilonRound: roundAccountant.epsilon(delta: options.delta), epsilonTotal: accountant.epsilon(delta: options.delta))
                reports.append(r)
                progress?(r)
            }
            // Each device's final vector from the released item factors (for the evaluation only).
            let serving = ALSServing(
                model: ALSModel(configuration: plan.userSolve, userFactors: FactorMatrix(rows: 0, factors: k), itemFactors: y), indexThreshold: Int.max)
            for u in active { participants[u].updateUserVector(serving) }
            return result(items: y, configuration: plan.userSolve, reports: reports, epsilon: accountant.epsilon(delta: options.delta))
        }
    }
}
