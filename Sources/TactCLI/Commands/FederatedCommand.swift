import ArgumentParser
import Foundation
import TactCore
import TactEngine
import TactFederated
import TactPrivacy
import TactRecommend

struct FederatedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "federated",
        abstract: "Federated learning: train iALS where each person's history stays on their device.",
        subcommands: [Simulate.self, Telemetry.self])

    struct Simulate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Simulate federated iALS with secure aggregation over a dataset where each person is a device.",
            discussion: """
                Holds out --test-fraction of each person's items (or uses --train/--test files), then trains \
                iALS federatedly: each round, the devices taking part (--clients, default all) download the \
                item factors, solve their own vector, and send their contributions to the item step through \
                secure aggregation (X25519 masks, Shamir-shared seeds, fixed point in Z_2^32), with \
                --dropout of them leaving at a random step. With --epsilon it trains federated DP-ALS instead: \
                devices send integer contributions to DP-ALS's item statistics through secure aggregation, \
                the server adds DP-ALS's exact noise to the sums, and the accountant keeps the total at ε. \
                Prints per round the bytes and CPU per device, the \
                server's CPU and the simulated round time, then NDCG@10 and recall@20 against centralized \
                iALS (and DP-ALS at the same ε). See docs/federated.md.
                """)

        enum GraphName: String, ExpressibleByArgument { case auto, complete, harary }

        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("Training interactions (default: a split of the data directory).", valueName: "FILE")) var train: String?
        @Option(help: ArgumentHelp("Held-out interactions.", valueName: "FILE")) var test: String?
        @Option(help: "Fraction of each person's items held out.") var testFraction = 0.2
        @Option(help: "Devices taking part in each round (default: every person).") var clients: Int?
        @Option(help: "Rounds (ALS iterations).") var rounds = 10
        @Option(help: "Chance that a device drops out of each aggregation, at a random step.") var dropout = 0.0
        @Option(help: "Total ε: train federated DP-ALS with this user-level (ε, δ) guarantee (default: no DP).") var epsilon: Double?
        @Option(help: "δ of the DP guarantee.") var delta = 1e-5
        @Option(help: "With --epsilon: the most items one device contributes to the item statistics.") var maxItemsPerPerson = 40
        @Option(help: "Latent factors.") var factors = 64
        @Option(help: "L2 regularization (λ).") var regularization: Float = 1
        @Option(help: "Confidence scale: c = 1 + alpha·value.") var alpha: Float = 4
        @Option(help: "Conjugate-gradient steps per item half-step (each one more aggregation).") var cgSteps = 3
        @Option(help: "Mask graph: auto (complete up to 200 devices, else Harary), complete or harary.") var graph: GraphName = .auto
        @Option(help: "Harary graph: neighbors per device.") var degree = 32
        @Option(help: "Fixed point: each value a device sends is clamped to ±bound.") var bound: Float = 256
        @Option(help: "Random seed (split, sample, dropouts, noise).") var seed: UInt64 = 1
        @Option(help: "Worker threads (0: one per processor).") var threads = 0
        @Flag(help: "Skip the centralized models (only train federatedly).") var noCompare = false
        @Flag(help: "Print the result as one JSON line.") var json = false

        func validate() throws {
            guard (train == nil) == (test == nil) else { throw ValidationError("give both --train and --test, or neither") }
            guard testFraction > 0, testFraction < 1 else { throw ValidationError("--test-fraction must be between 0 and 1") }
            guard rounds >= 1, rounds <= 1000 else { throw ValidationError("--rounds must be between 1 and 1000") }
            guard (0..<1).contains(dropout) else { throw ValidationError("--dropout must be in [0, 1)") }
            if let clients { guard clients >= 3 else { throw ValidationError("--clients must be at least 3 (a sum over fewer reveals too much)") } }
            if let epsilon { guard epsilon > 0, epsilon.isFinite else { throw ValidationError("--epsilon must be positive") } }
            guard delta > 0, delta < 1 else { throw ValidationError("--delta must be in (0, 1)") }
            try OptionChecks.positive(Double(bound), flag: "--bound")
            guard regularization >= 0, alpha >= 0, regularization.isFinite, alpha.isFinite else {
                throw ValidationError("--regularization and --alpha must be zero or positive")
            }
            try OptionChecks.threads(threads)
            guard maxItemsPerPerson >= 1 else { throw ValidationError("--max-items-per-person must be at least 1") }
            guard (1...1024).contains(factors) else { throw ValidationError("--factors must be between 1 and 1024") }
            guard (1...50).contains(cgSteps) else { throw ValidationError("--cg-steps must be between 1 and 50") }
            guard degree >= 2, degree % 2 == 0 else {
                throw ValidationError("--degree must be even and at least 2 (half the neighbors on each side of the ring)")
            }
            if epsilon != nil, let problem = options().privateConfiguration.problem { throw ValidationError("--epsilon: \(problem)") }
        }

        /// The training settings the flags describe.
        func options() -> FederatedTrainingOptions {
            var als = ALSConfiguration()
            als.factors = factors
            als.iterations = rounds
            als.regularization = regularization
            als.alpha = alpha
            als.solver = .conjugateGradient(steps: cgSteps)
            als.seed = seed
            als.threads = threads
            var options = FederatedTrainingOptions(als: als)
            options.devicesPerRound = clients
            options.dropout = dropout
            options.epsilon = epsilon
            options.delta = delta
            options.privateALS.maxItemsPerPerson = maxItemsPerPerson
            options.bound = bound
            options.seed = seed
            switch graph {
            case .auto: options.graph = nil
            case .complete: options.graph = .complete
            case .harary: options.graph = .harary(degree: degree, seed: seed)
            }
            return options
        }

        func run() throws {
            let data = try evaluationData(global: global, train: train, test: test, holdOut: .random(fraction: testFraction, seed: seed))
            let options = options()
            let people = clients.map { min($0, data.train.rows) } ?? data.train.rows
            if !json {
                Terminal.note(
                    "federated iALS: \(grouped(people)) devices per round, \(rounds) rounds, \(options.aggregationsPerRound) secure aggregations each, \(data.train.columns) items × \(factors) factors"
                )
            }
            let report = try FederatedSimulationReport.run(data, options: options, compare: !noCompare, threads: threads) { r in
                guard !json else { return }
                let e = r.epsilonTotal.map { "  ε so far \(fixed($0, 2))" } ?? ""
                Terminal.note(
                    "round \(r.round)/\(rounds): \(r.summed)/\(r.devices) devices summed, \(bytes(r.bytesUp)) up and \(bytes(r.bytesDown)) down per device, device \(fixed(r.deviceMilliseconds, 0)) ms, server \(fixed(r.serverMilliseconds, 0)) ms\(e)"
                )
            }
            if json {
                let encoded = try JSONEncoder().encode(report)
                var object = try JSONSerialization.jsonObject(with: encoded) as! [String: Any]
                object["ndcg_ratio"] = report.ndcgRatio
                try printJSONLine(object)
                return
            }
            var t = TextTable("round", "devices", "summed", "up / device", "down / device", "device ms", "server ms", "round s", "max |error|", "ε total")
            for r in report.rounds {
                t.add(
                    "\(r.round)", grouped(r.devices), grouped(r.summed), bytes(r.bytesUp), bytes(r.bytesDown), fixed(r.deviceMilliseconds, 0),
                    fixed(r.serverMilliseconds, 0), fixed(r.roundSeconds, 2), String(format: "%.1e", r.largestAggregationError),
                    r.epsilonTotal.map { fixed($0, 3) } ?? "–")
            }
            print(t.render())
            var s = TextTable("model", "NDCG@10", "recall@20", "ε", "seconds")
            for score in report.scores {
                s.add(score.model, fixed(score.ndcgAt10, 4), fixed(score.recallAt20, 4), score.epsilon.map { fixed($0, 3) } ?? "–", fixed(score.seconds, 1))
            }
            print(s.render())
            if let ratio = report.ndcgRatio {
                print("  federated NDCG@10 is \(fixed(100 * ratio, 1))% of centralized \(epsilon == nil ? "iALS" : "DP-ALS at the same ε")")
            }
            let clamped = report.rounds.reduce(0) { $0 + $1.clampedValues }
            if clamped > 0 { print("  warning: \(grouped(clamped)) values were clamped to ±\(bound); raise --bound") }
        }

        func bytes(_ b: Double) -> String {
            b >= 1_000_000 ? "\(fixed(b / 1_000_000, 2)) MB" : b >= 1000 ? "\(fixed(b / 1000, 1)) kB" : "\(Int(b)) B"
        }
    }

    struct Telemetry: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Simulate item-popularity telemetry under local differential privacy (count-mean sketch).",
            discussion: """
                Each person in the data directory (or --input FILE) is a device. It picks --reports distinct \
                items of its own history and sends each as a count-mean-sketch report that is --epsilon-LDP \
                on its own. The server estimates every item's count from the sketch; the table compares the \
                estimates with the true counts of what was reported. See docs/federated.md.
                """)
        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("Interactions to read instead of the data directory.", valueName: "FILE")) var input: String?
        @Option(help: "ε of each report.") var epsilon = 4.0
        @Option(help: "Reports per device (each one spends ε).") var reports = 1
        @Option(help: "Hash functions of the sketch (rows).") var hashes = 256
        @Option(help: "Columns of the sketch.") var width = 1024
        @Option(help: "Random seed.") var seed: UInt64 = 1
        @Flag(help: "Print the result as one JSON line.") var json = false

        func validate() throws {
            guard epsilon > 0, epsilon.isFinite else { throw ValidationError("--epsilon must be positive") }
            guard (1...1000).contains(reports) else { throw ValidationError("--reports must be between 1 and 1000") }
            guard (1...65_536).contains(hashes), (2...65_536).contains(width) else {
                throw ValidationError("--hashes must be 1 to 65536 and --width 2 to 65536")
            }
        }

        func run() throws {
            let data = try interactionData(global: global, input: input)
            guard data.matrix.nonZeros > 0 else { throw ValidationError("there are no interactions to report on") }
            let result = try TelemetrySimulation.run(
                data.matrix, items: data.items, sketch: CountMeanSketch(hashes: hashes, width: width, epsilon: epsilon),
                reportsPerDevice: reports, seed: seed)
            if json {
                let object = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(result)) as! [String: Any]
                try printJSONLine(object)
                return
            }
            print(
                "Count-mean sketch (\(hashes) × \(width)), \(grouped(result.devices)) devices, \(grouped(result.reports)) reports; ε = \(fixed(epsilon, 2)) per report, \(fixed(result.epsilonPerDevice, 2)) per device"
            )
            var t = TextTable("measure", "value")
            t.add("mean absolute error (reports)", fixed(result.meanAbsoluteError, 1))
            t.add("root mean square error", fixed(result.rootMeanSquareError, 1))
            t.add("predicted standard deviation", fixed(result.predictedStandardDeviation, 1))
            t.add("top 10 found", "\(result.top10Overlap) of 10")
            t.add("top 50 found", "\(result.top50Overlap) of 50")
            t.add("most reported item: true, estimated", "\(result.largestTrueCount), \(fixed(result.largestEstimate, 1))")
            print(t.render())
        }
    }
}
