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
            With --train FILE --test FILE, trains on the first and scores top-k lists against the second \
            (ids in the test file that the training file lacks are skipped), so anyone can compare on an \
            identical split. Metrics: precision, MAP, NDCG and AUC as the implicit library defines them; \
            recall, hit rate and catalog coverage. Splitting the data directory comes next.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var model: ModelOptions

    @Option(help: ArgumentHelp("Training interactions.", valueName: "FILE")) var train: String?
    @Option(help: ArgumentHelp("Held-out interactions.", valueName: "FILE")) var test: String?
    @Option(help: "Length of the ranked lists scored.") var k = 10
    @Flag(help: "Print the result as one JSON line.") var json = false

    func validate() throws {
        guard k >= 1 else { throw ValidationError("--k must be at least 1") }
        guard (train == nil) == (test == nil) else { throw ValidationError("give both --train and --test") }
    }

    func run() throws {
        guard let train, let test else {
            throw UsageError("evaluating the data directory is not available yet; give --train FILE --test FILE")
        }
        let trainData = try InteractionMatrix.read(InteractionFileFormat.detect(path: train).open(path: train))
        let testData = try InteractionMatrix.read(InteractionFileFormat.detect(path: test).open(path: test), usersAndItemsOf: trainData)
        let trained = try ModelTraining.train(trainData.matrix, options: model, quiet: json)
        let trainMatrix = trainData.matrix
        let metrics: RankingMetrics
        if let als = trained.als {
            let serving = ALSServing(model: als)
            metrics = RankingMetrics.evaluate(k: k, train: trainMatrix, test: testData.matrix, threads: max(1, model.threads == 0 ? ProcessInfo.processInfo.activeProcessorCount : model.threads)) { user, k in
                serving.recommend(serving.userVector(user), k: k, excluding: Set(trainMatrix.row(user).indices)).map(\.item)
            }
        } else {
            let popularity = trained.popularity!
            metrics = RankingMetrics.evaluate(k: k, train: trainMatrix, test: testData.matrix) { user, k in
                popularity.recommend(k: k, excluding: Set(trainMatrix.row(user).indices.map(Int.init))).map { Int32($0.item) }
            }
        }
        if json {
            try printJSONLine(trained.summary.merging([
                "algorithm": model.algorithm.rawValue, "k": k, "precision": metrics.precision, "recall": metrics.recall,
                "ndcg": metrics.ndcg, "map": metrics.map, "auc": metrics.auc, "hit_rate": metrics.hitRate,
                "coverage": metrics.coverage, "users": metrics.users, "peak_memory_bytes": peakMemoryBytes(),
            ]) { $1 })
            return
        }
        print("Evaluated \(model.algorithm.rawValue) at k = \(k) on \(grouped(metrics.users)) people with held-out interactions")
        var t = TextTable("metric", "value")
        t.add("precision@\(k)", fixed(metrics.precision, 4))
        t.add("recall@\(k)", fixed(metrics.recall, 4))
        t.add("NDCG@\(k)", fixed(metrics.ndcg, 4))
        t.add("MAP@\(k)", fixed(metrics.map, 4))
        t.add("AUC@\(k)", fixed(metrics.auc, 4))
        t.add("hit rate@\(k)", fixed(metrics.hitRate, 4))
        t.add("catalog coverage", fixed(metrics.coverage, 4))
        print(t.render())
        print("  training \(fixed(trained.seconds, 2)) s (\(fixed(trained.secondsPerIteration * 1000, 1)) ms per iteration)")
    }
}
