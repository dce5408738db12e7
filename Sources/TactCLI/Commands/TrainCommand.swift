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
            Trains on the events in the data directory of people whose consent permits model-training, \
            and saves the model in DIR/models/ALGORITHM.tactmodel for 'tact recommend'. With --from FILE, \
            trains on an interaction file instead and saves nothing unless --output is given: for \
            research and benchmarks. With --engine spark, Apache Spark trains the ALS model instead \
            (pyspark, in local mode or on a cluster; see docs/spark.md): it is saved and served the same way. \
            With no model flag, a search on a validation part of the data picks the algorithm and its settings \
            within --budget seconds (docs/model-search.md), prints what it tried and why it chose, and keeps \
            the choice in DIR/models/search.json for 'tact recommend', the server and the next search. A model \
            that scores below popularity on validation is not saved unless --force.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var model: ModelOptions
    @OptionGroup(title: "Training engine") var engine: EngineOptions

    @Option(help: ArgumentHelp("Train on this interaction file instead of the data directory.", valueName: "FILE"))
    var from: String?

    @Option(help: ArgumentHelp("Where to save the model (default: DIR/models/ALGORITHM.tactmodel; with --from, not saved).", valueName: "FILE"))
    var output: String?

    @Flag(help: "Print the result as one JSON line.") var json = false
    @Flag(help: "Save the model even if it scores below popularity on a validation part of the data.") var force = false
    @Flag(
        name: .customLong("loss"),
        help:
            "With --json, compute iALS's loss after every iteration and report the last (one more pass over the data per iteration; the progress lines on a terminal always show it)."
    )
    var reportsLoss = false

    func run() throws {
        let trainingEngine = try engine.resolved(model: model)
        var data: InteractionMatrix
        var excluded = 0
        var mark: Int64?
        let searching = model.searches && trainingEngine == .builtIn
        var spec = try model.resolvedSpec()
        let reading = Date()
        if let from {
            data = try InteractionMatrix.read(InteractionFileFormat.detect(path: from).open(path: from))
            // A file holds raw user ids: a saved model keeps only row numbers, never the ids.
            data.users = data.users.indices.map { "row-\($0)" }
        } else {
            // A private model is a release: it runs over the registered catalog (ReleaseUniverse), not the items in events.
            let snapshot = try TrainingSnapshot.read(from: try global.openExisting(), for: spec)
            data = snapshot.data
            excluded = snapshot.subjectsExcluded
            mark = snapshot.requestMark
        }
        // Reading the data (the store or the file, into the matrix) is timed apart from the training.
        let readSeconds = Date().timeIntervalSince(reading)
        guard data.matrix.nonZeros > 0 else {
            throw EngineError.invalidArgument("there is nothing to train on: no stored events of people who permit model-training")
        }
        if spec.isPrivate, from != nil, output != nil {
            throw EngineError.invalidArgument(
                "a differentially private model is a release, and releases are recorded in a data directory's privacy ledger: import the file with 'tact import interactions' and train there, or leave out --output"
            )
        }
        let models = ModelDirectory(directory: global.directory)
        var parameters = model.parameters
        var search: ModelSearchResult?
        var verdict: PopularityGuard.Verdict?
        let saves = output != nil || from == nil
        if searching {
            // A file holds someone else's data: only a data directory's own last choice starts its search.
            let start = from == nil ? SearchChoice.load(from: models)?.candidate(seed: model.seed, threads: model.threads) : nil
            let result = model.search(start: start).run(data.matrix) { if !json { Terminal.note("search: \($0)") } }
            spec = result.winner.spec
            parameters = result.winner.settings.merging(["seed": "\(model.seed)", "chosen_by": "search", "search": result.jsonText]) { a, _ in a }
            search = result
        } else if saves, !force, trainingEngine == .builtIn {
            verdict = try PopularityGuard.check(data.matrix, spec: spec, seed: model.seed, threads: model.threads)
            if let verdict, !verdict.passes {
                throw EngineError.invalidArgument(
                    "not saved: \(verdict.refusal). Train with other settings, leave out the model flags to let the search choose, or pass --force to save it anyway"
                )
            }
        }
        let algorithm = spec.name
        let trained = try trainingEngine.train(
            data.matrix, spec: spec,
            progress: iterationProgress(total: (spec.training as? ALSConfiguration)?.iterations ?? model.iterationCount, quiet: json)
                ?? (reportsLoss ? { _, _, _ in } : nil),
            stage: stageProgress(quiet: json))
        if trainingEngine != .builtIn { parameters["engine"] = trainingEngine.name }
        var saved: String?
        if let path = output ?? (from == nil ? models.modelPath(algorithm: algorithm) : nil) {
            if output == nil { try ModelDirectory(directory: global.directory).create() }
            if let mark {
                // Saved only if no erasure, restriction or withdrawal completed since the data was read.
                guard
                    case .saved = try ModelStorage.saveUnlessChanged(
                        trained, algorithm: algorithm, data: data, parameters: parameters, mark: mark,
                        engine: try global.openExisting(), to: output, choice: search)
                else {
                    throw EngineError.invalidArgument(
                        "an erasure, restriction or withdrawal completed during training, so this model may hold someone it must not; nothing was saved: run 'tact train' again"
                    )
                }
            } else {
                try ModelStorage.save(trained, algorithm: algorithm, data: data, parameters: parameters, to: path)
            }
            saved = path
        }
        if json {
            var object: [String: Any] = [
                "algorithm": algorithm, "engine": trainingEngine.name, "read_seconds": readSeconds, "train_seconds": trained.seconds,
                "seconds_per_iteration": trained.secondsPerIteration,
                "users": data.matrix.rows, "items": data.matrix.columns, "nonzeros": data.matrix.nonZeros,
                "subjects_excluded": excluded, "model": saved ?? "", "peak_memory_bytes": peakMemoryBytes(),
                "epsilon": trained.privacy?.epsilon ?? 0, "delta": trained.privacy?.delta ?? 0
            ]
            // Only when it was computed (`--loss`, or the progress lines): the loss costs a pass over the data.
            if let loss = trained.als?.loss.last { object["loss"] = loss }
            if let search { object["search"] = search.json }
            if let verdict { object["validation_ndcg"] = verdict.modelScore; object["popularity_validation_ndcg"] = verdict.popularityScore }
            return try printJSONLine(object)
        }
        if let search { print(searchReport(search)) }
        print(
            "Trained \(algorithm)\(trainingEngine == .builtIn ? "" : " on Spark") on \(grouped(data.matrix.rows)) people × \(grouped(data.matrix.columns)) items, \(grouped(data.matrix.nonZeros)) cells in \(fixed(trained.seconds, 2)) s (\(fixed(trained.secondsPerIteration * 1000, 1)) ms per iteration), after \(fixed(readSeconds, 2)) s reading the data; peak memory \(peakMemoryBytes() / 1_048_576) MiB"
        )
        if excluded > 0 { print("  \(grouped(excluded)) people left out: their consent does not permit model-training") }
        if let charge = trained.privacy {
            print("  differentially private: (ε = \(fixed(charge.epsilon, 3)), δ = \(charge.delta)) user-level, \(charge.mechanism)")
            print(saved != nil ? "  recorded in the privacy ledger: see 'tact privacy budget'" : "  not saved, so nothing was released or recorded")
        }
        if let verdict {
            print(
                "  validation NDCG@\(verdict.k) \(fixed(verdict.modelScore, 4)) against popularity's \(fixed(verdict.popularityScore, 4)) (\(grouped(verdict.people)) people)"
            )
        }
        if let saved { print("  saved \(saved)") }
    }
}

/// What a model search tried, best first, and why it chose.
func searchReport(_ result: ModelSearchResult, shown: Int = 12) -> String {
    var table = TextTable("algorithm", "settings", "NDCG@\(result.k)", "seconds")
    let ranked = result.trials.filter(\.complete).sorted { $0.score > $1.score }
    for t in ranked.prefix(shown) {
        let settings = t.candidate.settings.filter { $0.key != "iterations" }.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        table.add(t.candidate.algorithm, settings.isEmpty ? "—" : settings, fixed(t.score, 4), fixed(t.seconds, 2))
    }
    let partial = result.trials.count - ranked.count
    var lines = [
        "Model search: \(result.trials.count) trainings in \(fixed(result.seconds, 1)) s (budget \(fixed(result.budgetSeconds, 0)) s), scored on a validation part of the training data:",
        table.render()
    ]
    if ranked.count > shown { lines.append("  … and \(ranked.count - shown) more complete trials") }
    if partial > 0 { lines.append("  \(partial) shorter iALS trainings (successive halving's cheap rungs) are not listed") }
    lines.append("Chose \(result.winner.label): \(result.reason)")
    return lines.joined(separator: "\n")
}

/// A progress line per ALS iteration on stderr, unless quiet.
func iterationProgress(total: Int, quiet: Bool) -> ImplicitALS.Progress? {
    guard !quiet else { return nil }
    return { iteration, loss, seconds in
        // Private training has no loss to show: computing one would touch the data outside the accountant.
        let lossText = loss.isNaN ? "" : "  loss \(String(format: "%.6f", loss))"
        Terminal.note("iteration \(iteration)/\(total)\(lossText)  \(fixed(seconds * 1000, 1)) ms")
    }
}

/// A line on stderr for each stage of an outside engine's run (Spark), unless quiet.
func stageProgress(quiet: Bool) -> SparkALSTrainer.Stage? {
    guard !quiet else { return nil }
    return { Terminal.note($0) }
}

/// Prints a dictionary as one JSON line with sorted keys.
func printJSONLine(_ object: [String: Any]) throws {
    print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self))
}
