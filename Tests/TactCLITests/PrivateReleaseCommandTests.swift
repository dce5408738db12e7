import Foundation
import TactCore
import TactRecommend
import TactTestSupport
import Testing

@testable import TactCLI
@testable import TactEngine

/// Differentially private models and statistics from the command line: each release is recorded in the
/// ledger before it exists, one past the budget is refused and leaves nothing behind, and erasure
/// drops a person's own vector from a DP-ALS model without solving its items again.
@Suite(.serialized) struct PrivateReleaseCommandTests {
    let tmp = TemporaryDirectory()
    var data: String { tmp.file("data") }

    func prepare() {
        let out = tmp.file("gen")
        #expect(TactMain.run(["generate", "--users", "120", "--items", "40", "--interactions", "2400", "--seed", "4", "--out", out]) == 0)
        #expect(TactMain.run(["init", "--data", data]) == 0)
        // Private releases run over the registered catalog.
        #expect(TactMain.run(["import", "items", out + "/items.csv", "--data", data]) == 0)
        #expect(TactMain.run(["import", "interactions", out + "/interactions.csv", "--grant", "personalization,model-training", "--data", data]) == 0)
    }

    @Test("train dp-als and dp-popular spend from the ledger; a release past the budget is refused and saves nothing")
    func releasesSpendAndRefuse() throws {
        prepare()
        let models = ModelDirectory(directory: DataDirectory(path: data))
        #expect(TactMain.run(["train", "--algorithm", "dp-als", "--dp-epsilon", "6", "--data", data, "--json"]) == 0)
        #expect(FileManager.default.fileExists(atPath: models.modelPath(algorithm: "dp-als")))
        #expect(TactMain.run(["privacy", "popular", "--trending", "--epsilon", "1", "--top", "5", "--data", data, "--json"]) == 0)
        #expect(TactMain.run(["recommend", "u1", "--algorithm", "dp-als", "--data", data, "--json"]) == 0)
        // 7 spent of 10: a dp-popular model at ε = 4 would pass it.
        #expect(TactMain.run(["train", "--algorithm", "dp-popular", "--dp-epsilon", "4", "--data", data]) == 1)
        #expect(!FileManager.default.fileExists(atPath: models.modelPath(algorithm: "dp-popular")))
        #expect(TactMain.run(["train", "--algorithm", "dp-popular", "--dp-epsilon", "2", "--data", data]) == 0)
        let engine = try DataDirectory(path: data).open()
        let state = try PrivacyLedger(engine: engine).state(dataset: PrivacyLedger.interactionsDataset)[0]
        #expect(state.releases.map(\.release) == ["dp-als model", "trending top 5", "dp-popular model"])
        #expect(abs(state.spentEpsilon - 9) < 1e-6)
        #expect(abs(state.spentDelta - 3e-6) < 1e-12)
        #expect(TactMain.run(["privacy", "budget", "--data", data, "--json"]) == 0)
        // A private model trained from a file is not recorded anywhere, so it may not be saved.
        let file = tmp.write("f.csv", "user,item,value,timestamp\na,i1,1,10\nb,i2,1,11\n")
        #expect(TactMain.run(["train", "--algorithm", "dp-als", "--from", file, "--output", tmp.file("m.tactmodel")]) == 1)
        #expect(TactMain.run(["train", "--algorithm", "dp-als", "--dp-epsilon", "0", "--data", data]) == 2)
    }

    @Test("a budget too small for the exact sampler is refused before the ledger is charged, with what to change; it never crashes")
    func tooSmallABudgetIsRefusedFirst() throws {
        prepare()
        #expect(TactMain.run(["privacy", "popular", "--epsilon", "0.0001", "--data", data]) == 1)
        #expect(TactMain.run(["privacy", "popular", "--trending", "--epsilon", "0.0001", "--data", data]) == 1)
        let engine = try DataDirectory(path: data).open()
        #expect(try PrivacyLedger(engine: engine).state(dataset: PrivacyLedger.interactionsDataset).allSatisfy { $0.releases.isEmpty })
        #expect(PrivatePopularity.problem(maxItemsPerPerson: 5, noise: .gaussian(rho: 1e-12), trending: false)?.contains("raise ε") == true)
        #expect(PrivatePopularity.problem(maxItemsPerPerson: 5, noise: .laplace(epsilon: 1e-12), trending: false) != nil)
        #expect(PrivatePopularity.problem(maxItemsPerPerson: 5, noise: .gaussian(rho: 0.01), trending: true) == nil)
        #expect(TactMain.run(["train", "--algorithm", "dp-popular", "--dp-epsilon", "0.0001", "--data", data]) == 2)
        #expect(!FileManager.default.fileExists(atPath: ModelDirectory(directory: DataDirectory(path: data)).modelPath(algorithm: "dp-popular")))
        #expect(TactMain.run(["privacy", "popular", "--epsilon", "1", "--data", data]) == 0)
    }

    @Test("erasure drops the person's vector from the DP-ALS model and leaves its released item factors as they were")
    func erasureKeepsTheRelease() throws {
        prepare()
        #expect(TactMain.run(["train", "--algorithm", "dp-als", "--data", data]) == 0)
        let path = ModelDirectory(directory: DataDirectory(path: data)).modelPath(algorithm: "dp-als")
        let (before, beforeMetadata) = try ModelFile.read(from: path)
        #expect(TactMain.run(["subject", "erase", "u7", "--data", data]) == 0)
        let (after, afterMetadata) = try ModelFile.read(from: path)
        guard case .als(let b) = before, case .als(let a) = after else {
            Issue.record("the DP-ALS model is an ALS model file")
            return
        }
        #expect(afterMetadata.users.count == beforeMetadata.users.count - 1)
        #expect(a.itemFactors == b.itemFactors)
        #expect(a.userFactors.rows == b.userFactors.rows - 1)
    }

    @Test("evaluate --privacy writes the table as JSON and draws the chart")
    func privacyReport() throws {
        prepare()
        let json = tmp.file("report.json"), svg = tmp.file("report.svg")
        #expect(
            TactMain.run([
                "evaluate", "--privacy", "--epsilons", "1,8", "--factors", "8", "--iterations", "3", "--data", data,
                "--report-json", json, "--chart", svg
            ]) == 0)
        let report = try JSONDecoder().decode(PrivacyUtilityReport.self, from: Data(contentsOf: URL(fileURLWithPath: json)))
        #expect(report.rows.map(\.model) == ["iALS", "popularity", "DP-ALS", "DP popularity", "DP-ALS", "DP popularity"])
        #expect(report.rows.compactMap(\.epsilon) == [1, 1, 8, 8])
        #expect(report.rows.allSatisfy { ($0.accountedEpsilon ?? 0) <= ($0.epsilon ?? .infinity) })
        let drawing = try String(contentsOfFile: svg, encoding: .utf8)
        #expect(drawing.hasPrefix("<svg") && drawing.contains("recall@20") && drawing.contains("NDCG@10") && drawing.contains("<polyline"))
        #expect(TactMain.run(["evaluate", "--privacy", "--epsilons", "1,x", "--data", data]) == 2)
    }
}
