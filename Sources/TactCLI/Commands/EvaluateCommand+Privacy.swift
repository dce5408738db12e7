import ArgumentParser
import Foundation
import TactCore
import TactEngine
import TactRecommend

extension EvaluateCommand {
    /// `tact evaluate --privacy`: the privacy–utility table, its JSON and its chart.
    func runPrivacyReport() throws {
        let values = epsilons.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let list = try values.map { text -> Double in
            guard let e = Double(text), e > 0, e.isFinite else { throw ValidationError("--epsilons: '\(text)' is not a positive number") }
            return e
        }
        guard !list.isEmpty else { throw ValidationError("--epsilons needs at least one value") }
        let dp = try model.privateModel.configuration(epsilon: list[0], seed: model.seed, threads: model.threads)
        let data = try evaluationData(global: global, train: train, test: test, holdOut: holdOut)
        if !json {
            print(
                "Privacy report on \(grouped(data.train.rows)) people, \(grouped(data.train.columns)) items: \(grouped(data.train.nonZeros)) training and \(grouped(data.test.nonZeros)) held-out interactions; δ = \(model.privateModel.delta)"
            )
        }
        let report = try PrivacyUtilityReport.run(
            data, epsilons: list, delta: model.privateModel.delta, als: model.configuration, dpALS: dp,
            popularityBound: model.privateModel.maxItemsPerPerson, seed: model.seed, threads: model.threads
        ) { row in
            guard !json else { return }
            let e = row.epsilon.map { "ε = \(fixed($0, 1))" } ?? "no privacy"
            FileHandle.standardError.write(
                Data("  \(row.model) (\(e)): recall@20 \(fixed(row.recallAt20, 4)), NDCG@10 \(fixed(row.ndcgAt10, 4)), \(fixed(row.seconds, 1)) s\n".utf8))
        }
        if let reportJson {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(report).write(to: URL(fileURLWithPath: reportJson))
        }
        if let chart {
            try PrivacyUtilityChart(report: report).svg.write(toFile: chart, atomically: true, encoding: .utf8)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
            return
        }
        var table = TextTable("model", "ε", "accounted ε", "recall@20", "NDCG@10", "seconds", "items covered")
        for row in report.rows {
            table.add(
                row.model, row.epsilon.map { fixed($0, 1) } ?? "∞", row.accountedEpsilon.map { fixed($0, 3) } ?? "–",
                fixed(row.recallAt20, 4), fixed(row.ndcgAt10, 4), fixed(row.seconds, 2), row.coveredItems.map { grouped($0) } ?? "–")
        }
        print(table.render())
        if let reportJson { print("  wrote \(reportJson)") }
        if let chart { print("  drew \(chart)") }
    }
}
