import ArgumentParser
import Foundation
import TactCore
import TactEngine
import TactRecommend

struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Measure a model's accuracy on held-out interactions.",
        discussion: """
            Holds out part of each person's items in the data directory (--split random: a seeded \
            --test-fraction, rounded down; --split stratified: Microsoft Recommenders' per-person \
            random split, round-half-even; --split last: their --last-n latest), trains on the rest with the same \
            flags as 'tact train', and scores top-k lists against what was held out. With --train FILE \
            --test FILE, uses a split made elsewhere (test ids the training file lacks are skipped), \
            so anyone can compare on an identical split. Metrics: precision, MAP, NDCG and AUC as the \
            implicit library defines them; recall, hit rate and catalog coverage. See docs/evaluation.md. \
            With --engine spark, Apache Spark trains the ALS model on the same training part, scored \
            the same way (docs/spark.md). With no model flag, the model search of 'tact train' runs on the \
            training part alone (its own validation part is cut from it; the held-out part is never seen) and \
            its winner is scored (docs/model-search.md).
            """)

    enum SplitName: String, ExpressibleByArgument { case random, stratified, last }

    @OptionGroup var global: GlobalOptions
    @OptionGroup var model: ModelOptions
    @OptionGroup(title: "Training engine") var engine: EngineOptions

    @Option(help: ArgumentHelp("Training interactions.", valueName: "FILE")) var train: String?
    @Option(help: ArgumentHelp("Held-out interactions.", valueName: "FILE")) var test: String?
    @Option(help: "How to hold out from the data directory: random, stratified (Microsoft Recommenders' per-person split) or last.") var split: SplitName =
        .random
    @Option(help: "Fraction of each person's items held out (random and stratified splits).") var testFraction = 0.2
    @Option(help: "How many of each person's latest items are held out (last split).") var lastN = 1
    @Option(help: "Length of the ranked lists scored.") var k = 10
    @Flag(help: "Print the result as one JSON line.") var json = false
    @Flag(help: "The privacy–utility report: iALS and popularity against DP-ALS and DP popularity at each --epsilons.") var privacy = false
    @Option(help: "The ε values of the privacy report, comma-separated.") var epsilons = "0.5,1,2,4,8,16"
    @Option(help: ArgumentHelp("Privacy report: write the table as JSON here.", valueName: "FILE")) var reportJson: String?
    @Option(help: ArgumentHelp("Privacy report: draw recall@20 and NDCG@10 against ε as SVG here.", valueName: "FILE")) var chart: String?
    @Option(help: "Re-rank each list by maximal marginal relevance: 1 (default) is relevance alone, lower trades it for diversity.") var mmrLambda: Float = 1
    @Option(help: "Discount popular items by this weight (0 to 1; 0 is off).") var noveltyWeight: Float = 0
    @Option(help: ArgumentHelp("Draw accuracy against diversity as --mmr-lambda varies (--tradeoff-lambdas) as SVG here.", valueName: "FILE")) var tradeoff:
        String?
    @Option(help: "The λ values of the trade-off, comma-separated.") var tradeoffLambdas = "1,0.9,0.8,0.7,0.6,0.5,0.4,0.3,0.2"

    func validate() throws {
        try OptionChecks.listLength(k)
        guard (train == nil) == (test == nil) else { throw ValidationError("give both --train and --test, or neither") }
        guard testFraction > 0, testFraction < 1 else { throw ValidationError("--test-fraction must be between 0 and 1") }
        guard lastN >= 1 else { throw ValidationError("--last-n must be at least 1") }
        guard (0...1).contains(mmrLambda) else { throw ValidationError("--mmr-lambda must be from 0 to 1") }
        guard (0...1).contains(noveltyWeight) else { throw ValidationError("--novelty-weight must be from 0 to 1") }
        guard tradeoff == nil || (try? lambdas()) != nil else { throw ValidationError("--tradeoff-lambdas must be numbers from 0 to 1, comma-separated") }
    }

    func lambdas() throws -> [Float] {
        let values = tradeoffLambdas.split(separator: ",").map { Float($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ $0 != nil && (0...1).contains($0!) }) else { throw ValidationError("bad --tradeoff-lambdas") }
        return values.map { $0! }
    }

    /// How the data directory is divided, from --split.
    var holdOut: HoldOut {
        switch split {
        case .random: .random(fraction: testFraction, seed: model.seed)
        case .stratified: .stratified(fraction: testFraction, seed: model.seed)
        case .last: .last(n: lastN)
        }
    }

    func run() throws {
        let trainingEngine = try engine.resolved(model: model, privacyReport: privacy)
        if privacy { return try runPrivacyReport() }
        var spec = try model.resolvedSpec()
        let data = try evaluationData(global: global, train: train, test: test, holdOut: holdOut)
        var search: ModelSearchResult?
        if model.searches, trainingEngine == .builtIn, tradeoff == nil {
            let result = model.search().run(data.train) { if !json { Terminal.note("search: \($0)") } }
            spec = result.winner.spec
            search = result
        }
        let algorithm = spec.name
        let trained = try trainingEngine.train(
            data.train, spec: spec, progress: iterationProgress(total: (spec.training as? ALSConfiguration)?.iterations ?? model.iterationCount, quiet: json),
            stage: stageProgress(quiet: json))
        if let tradeoff { return try runTradeoff(trained, data: data, to: tradeoff) }
        let quality = ModelTrainer.listQuality(
            trained, on: data, k: k, options: RerankOptions(lambda: mmrLambda, novelty: noveltyWeight),
            threads: model.threads)
        let metrics = quality.accuracy
        if json {
            var object: [String: Any] = [
                "algorithm": algorithm, "engine": trainingEngine.name, "k": k, "precision": metrics.precision, "recall": metrics.recall,
                "ndcg": metrics.ndcg, "map": metrics.map, "auc": metrics.auc, "hit_rate": metrics.hitRate,
                "coverage": metrics.coverage, "users": metrics.users, "train_seconds": trained.seconds,
                "intra_list_diversity": quality.beyond.intraListDiversity, "novelty": quality.beyond.novelty,
                "mmr_lambda": Double(mmrLambda), "novelty_weight": Double(noveltyWeight),
                "seconds_per_iteration": trained.secondsPerIteration, "peak_memory_bytes": peakMemoryBytes()
            ]
            if let search { object["search"] = search.json; object["settings"] = search.winner.settings }
            return try printJSONLine(object)
        }
        if let search { print(searchReport(search)) }
        print(
            "Evaluated \(search.map(\.winner.label) ?? algorithm)\(trainingEngine == .builtIn ? "" : " trained on Spark") at k = \(k) on \(grouped(metrics.users)) people with held-out interactions"
        )
        var table = metricsTable(metrics)
        table.add("intra-list diversity", fixed(quality.beyond.intraListDiversity, 4))
        table.add("novelty (bits)", fixed(quality.beyond.novelty, 3))
        print(table.render())
        if mmrLambda < 1 || noveltyWeight > 0 { print("  lists re-ranked: MMR λ \(mmrLambda), novelty weight \(noveltyWeight)") }
        print("  training \(fixed(trained.seconds, 2)) s (\(fixed(trained.secondsPerIteration * 1000, 1)) ms per iteration)")
    }
}

extension EvaluateCommand {
    /// Accuracy against diversity, one point per λ: a table, a JSON line and an SVG chart.
    func runTradeoff(_ trained: TrainedModel, data: EvaluationData, to path: String) throws {
        var points: [ListQuality] = []
        for lambda in try lambdas() {
            if !json { Terminal.progress("   trade-off: MMR λ = \(lambda)") }
            points.append(
                ModelTrainer.listQuality(
                    trained, on: data, k: k, options: RerankOptions(lambda: lambda, novelty: noveltyWeight),
                    threads: model.threads))
        }
        if !json { Terminal.endProgress() }
        let chart = SVGLineChart(
            title: "Accuracy against diversity (\(model.chosen.rawValue), k = \(k))", xLabel: "intra-list diversity",
            yLabel: "NDCG@\(k)",
            series: [
                .init(
                    name: "MMR, λ from \(points.first.map { "\($0.options.lambda)" } ?? "") to \(points.last.map { "\($0.options.lambda)" } ?? "")",
                    color: "#0b4f9c", points: points.map { (x: $0.beyond.intraListDiversity, y: $0.accuracy.ndcg) },
                    pointLabels: points.map { "λ \(SVGLineChart.label(Double($0.options.lambda)))" })
            ])
        let svg = SVGLineChart.document(
            [chart], caption: "Each point one λ; diversity is 1 − co-occurrence cosine of the items in a list, averaged.",
            panelWidth: 640, panelHeight: 420)
        try Data(svg.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        let rows: [[String: Any]] = points.map {
            [
                "lambda": (Double($0.options.lambda) * 1000).rounded() / 1000, "ndcg": $0.accuracy.ndcg, "recall": $0.accuracy.recall,
                "intra_list_diversity": $0.beyond.intraListDiversity,
                "novelty": $0.beyond.novelty, "coverage": $0.beyond.coverage
            ]
        }
        if json { return try printJSONLine(["algorithm": model.chosen.rawValue, "k": k, "tradeoff": rows, "chart": path]) }
        var t = TextTable("MMR λ", "NDCG@\(k)", "recall@\(k)", "diversity", "novelty", "coverage")
        for p in points {
            t.add(
                fixed(Double(p.options.lambda), 2), fixed(p.accuracy.ndcg, 4), fixed(p.accuracy.recall, 4), fixed(p.beyond.intraListDiversity, 4),
                fixed(p.beyond.novelty, 3), fixed(p.beyond.coverage, 4))
        }
        print(t.render())
        print("Chart: \(path)")
    }
}

/// The interactions of a file, or the consented ones of the data directory.
func interactionData(global: GlobalOptions, input: String?) throws -> InteractionMatrix {
    if let input { return try InteractionMatrix.read(InteractionFileFormat.detect(path: input).open(path: input)) }
    return try TrainingSnapshot.read(from: try global.openExisting()).data
}

/// The train/test matrices from files or from a split of the data directory.
func evaluationData(global: GlobalOptions, train: String?, test: String?, holdOut: HoldOut) throws -> EvaluationData {
    if let train, let test {
        return try EvaluationData.read(
            train: InteractionFileFormat.detect(path: train).open(path: train),
            test: InteractionFileFormat.detect(path: test).open(path: test))
    }
    let snapshot = try TrainingSnapshot.read(from: try global.openExisting())
    guard snapshot.data.matrix.nonZeros > 0 else {
        throw EngineError.invalidArgument("there is nothing to evaluate: no stored events of people who permit model-training")
    }
    return EvaluationData.split(snapshot.data, holdOut: holdOut)
}

func metricsTable(_ m: RankingMetrics) -> TextTable {
    var t = TextTable("metric", "value")
    t.add("precision@\(m.k)", fixed(m.precision, 4))
    t.add("recall@\(m.k)", fixed(m.recall, 4))
    t.add("NDCG@\(m.k)", fixed(m.ndcg, 4))
    t.add("MAP@\(m.k)", fixed(m.map, 4))
    t.add("AUC@\(m.k)", fixed(m.auc, 4))
    t.add("hit rate@\(m.k)", fixed(m.hitRate, 4))
    t.add("catalog coverage", fixed(m.coverage, 4))
    return t
}
