import Foundation
import TactEngine
import TactRecommend
import TactTestSupport
import Testing

@testable import TactCLI

/// `tact train` and `tact evaluate` with no model flag search; flags train exactly what they name; a model
/// below popularity on validation is not saved unless --force.
@Suite("Model search on the command line")
struct ModelSearchCommandTests {
    let tmp = TemporaryDirectory()

    func directory() -> String {
        let data = tmp.file("data"), out = tmp.file("gen")
        #expect(TactMain.run(["init", "--data", data]) == 0)
        #expect(TactMain.run(["generate", "--users", "60", "--items", "40", "--interactions", "1500", "--seed", "5", "--out", out]) == 0)
        #expect(TactMain.run(["import", "items", out + "/items.csv", "--data", data]) == 0)
        #expect(TactMain.run(["import", "interactions", out + "/interactions.csv", "--grant", "personalization,model-training", "--data", data]) == 0)
        return data
    }

    @Test("no model flag: a search picks the model, the choice is saved with what was tried, and recommend serves it")
    func searchesWithoutFlags() throws {
        let data = directory()
        let models = ModelDirectory(directory: DataDirectory(path: data))
        #expect(models.defaultAlgorithm == "als")
        #expect(TactMain.run(["train", "--budget", "4", "--data", data]) == 0)
        let choice = try #require(SearchChoice.load(from: models))
        #expect(ModelAlgorithms.named(choice.algorithm) != nil)
        #expect(models.defaultAlgorithm == choice.algorithm)
        let (_, metadata) = try ModelFile.read(from: models.modelPath(algorithm: choice.algorithm))
        #expect(metadata.algorithm == choice.algorithm)
        #expect(metadata.parameters["chosen_by"] == "search")
        // The model file records every trial, each score and the reason.
        let search = try #require(metadata.parameters["search"].flatMap { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] })
        let trials = try #require(search["trials"] as? [[String: Any]])
        #expect(Set(trials.compactMap { $0["algorithm"] as? String }).isSuperset(of: ["popular", "als"]))
        #expect((search["reason"] as? String)?.isEmpty == false)
        let winnerScore = try #require(search["winner_ndcg"] as? Double), popularity = try #require(search["popularity_ndcg"] as? Double)
        #expect(winnerScore >= popularity)
        // recommend, similar and the export serve the choice without --algorithm.
        #expect(TactMain.run(["recommend", "u1", "--data", data, "--json"]) == 0)
        // A second search starts from the first one's winner.
        #expect(TactMain.run(["train", "--budget", "4", "--data", data, "--json"]) == 0)
        #expect(SearchChoice.load(from: models) != nil)
    }

    @Test("flags train exactly what they name; --budget is refused beside them")
    func flagsTrainWhatTheyName() throws {
        let data = directory()
        let models = ModelDirectory(directory: DataDirectory(path: data))
        #expect(TactMain.run(["train", "--algorithm", "knn", "--neighbours", "15", "--data", data, "--force"]) == 0)
        #expect(SearchChoice.load(from: models) == nil)
        let (_, metadata) = try ModelFile.read(from: models.modelPath(algorithm: "knn"))
        #expect(metadata.parameters["neighbours"] == "15")
        #expect(metadata.parameters["chosen_by"] == nil)
        #expect(TactMain.run(["train", "--factors", "8", "--budget", "5", "--data", data]) == 2)
        #expect(TactMain.run(["train", "--budget", "0", "--data", data]) == 2)
    }

    @Test("a model below popularity on validation is not saved unless --force, and the error says so")
    func guardRefuses() throws {
        let data = directory()
        let path = ModelDirectory(directory: DataDirectory(path: data)).modelPath(algorithm: "als")
        // No iterations: random factors, far below popularity.
        #expect(TactMain.run(["train", "--factors", "4", "--iterations", "0", "--data", data]) == 1)
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(TactMain.run(["train", "--factors", "4", "--iterations", "0", "--data", data, "--force"]) == 0)
        #expect(FileManager.default.fileExists(atPath: path))
        // A file trained on without --output is never served, so it is not checked.
        #expect(TactMain.run(["evaluate", "--budget", "4", "--split", "stratified", "--test-fraction", "0.25", "--data", data, "--json"]) == 0)
    }
}
