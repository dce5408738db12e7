import ArgumentParser
import Foundation
import TactCore
import TactEngine
import TactRecommend

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a recommendation model, showing the loss after each iteration.",
        discussion: """
            With --from FILE, trains on an interaction file (values summed per person and item) without \
            storing anything: for research and benchmarks. Training from the data directory comes next.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var model: ModelOptions

    @Option(help: ArgumentHelp("Train on this interaction file instead of the data directory.", valueName: "FILE"))
    var from: String?

    @Flag(help: "Print the result as one JSON line.") var json = false

    func run() throws {
        guard let from else {
            throw UsageError("training from the data directory is not available yet; give --from FILE")
        }
        let data = try InteractionMatrix.read(InteractionFileFormat.detect(path: from).open(path: from))
        let trained = try ModelTraining.train(data.matrix, options: model, quiet: json)
        if json {
            try printJSONLine(trained.summary.merging([
                "users": data.matrix.rows, "items": data.matrix.columns, "nonzeros": data.matrix.nonZeros,
                "peak_memory_bytes": peakMemoryBytes(),
            ]) { $1 })
        } else {
            print("Trained \(model.algorithm.rawValue) on \(grouped(data.matrix.rows)) people × \(grouped(data.matrix.columns)) items, \(grouped(data.matrix.nonZeros)) cells in \(fixed(trained.seconds, 2)) s (\(fixed(trained.secondsPerIteration * 1000, 1)) ms per iteration); peak memory \(peakMemoryBytes() / 1_048_576) MiB")
        }
    }
}

/// Training shared by `train`, `evaluate` and `tune`, with a progress line per iteration.
enum ModelTraining {
    struct Trained {
        var als: ALSModel?
        var popularity: PopularityModel?
        var seconds: Double
        var secondsPerIteration: Double
        var summary: [String: Any] {
            ["train_seconds": seconds, "seconds_per_iteration": secondsPerIteration, "loss": als?.loss.last ?? 0]
        }
    }

    static func train(_ matrix: SparseMatrix, options: ModelOptions, quiet: Bool) throws -> Trained {
        let started = Date()
        switch options.algorithm {
        case .popular:
            let model = PopularityModel(itemCount: matrix.columns, now: 0) { add in
                for n in 0..<matrix.nonZeros { add(Int(matrix.indices[n]), 1, 0) }
            }
            let s = Date().timeIntervalSince(started)
            return Trained(popularity: model, seconds: s, secondsPerIteration: s)
        case .als:
            var iterationSeconds: [Double] = []
            let als = ImplicitALS.train(matrix, configuration: options.configuration) { iteration, loss, seconds in
                iterationSeconds.append(seconds)
                if !quiet {
                    Terminal.note("iteration \(iteration)/\(options.iterations)  loss \(String(format: "%.6f", loss))  \(fixed(seconds * 1000, 1)) ms")
                }
            }
            let total = Date().timeIntervalSince(started)
            let perIteration = iterationSeconds.isEmpty ? 0 : iterationSeconds.reduce(0, +) / Double(iterationSeconds.count)
            return Trained(als: als, seconds: total, secondsPerIteration: perIteration)
        }
    }
}

/// Prints a dictionary as one JSON line with sorted keys.
func printJSONLine(_ object: [String: Any]) throws {
    print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self))
}
