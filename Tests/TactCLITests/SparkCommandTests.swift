import Foundation
import TactCore
import TactRecommend
import TactTestSupport
import Testing

@testable import TactCLI
@testable import TactEngine

/// `--engine spark` on the command line, with a stand-in for Python (no Spark is run here).
@Suite(.serialized) struct SparkCommandTests {
    let tmp = TemporaryDirectory("tact-spark-cli")
    var data: String { tmp.file("data") }

    func prepare() {
        let out = tmp.file("gen")
        #expect(TactMain.run(["generate", "--users", "30", "--items", "20", "--interactions", "400", "--seed", "3", "--out", out]) == 0)
        #expect(TactMain.run(["init", "--data", data]) == 0)
        #expect(TactMain.run(["import", "interactions", out + "/interactions.csv", "--grant", "personalization,model-training", "--data", data]) == 0)
    }

    /// A stand-in for Python that answers as the driver would, with factors for no row (all zero vectors).
    func standIn(rank: Int) -> String {
        let header = #"{"format": "tact-spark-factors", "version": 1, "rank": \#(rank), "rows": 0}"#
        let path = tmp.write(
            "python.sh",
            """
            #!/bin/sh
            printf '%-127s\\n' '\(header)' > users.factors
            printf '%-127s\\n' '\(header)' > items.factors
            printf '{"fit_seconds": 0.1, "spark_version": "stand-in"}' > result.json

            """)
        chmod(path, 0o755)
        return path
    }

    @Test("differential privacy never goes to Spark: dp models, DP flags and the privacy report are usage errors")
    func refusesDifferentialPrivacy() {
        prepare()
        let python = standIn(rank: 4)
        #expect(TactMain.run(["train", "--engine", "spark", "--python", python, "--algorithm", "dp-als", "--data", data]) == 2)
        #expect(TactMain.run(["train", "--engine", "spark", "--python", python, "--algorithm", "dp-popular", "--data", data]) == 2)
        #expect(TactMain.run(["train", "--engine", "spark", "--python", python, "--dp-epsilon", "2", "--data", data]) == 2)
        #expect(TactMain.run(["train", "--engine", "spark", "--python", python, "--max-items-per-person", "5", "--data", data]) == 2)
        #expect(TactMain.run(["evaluate", "--engine", "spark", "--python", python, "--privacy", "--data", data]) == 2)
        #expect(TactMain.run(["evaluate", "--engine", "spark", "--python", python, "--algorithm", "dp-als", "--data", data]) == 2)
        #expect(FileManager.default.fileExists(atPath: ModelDirectory(directory: DataDirectory(path: data)).modelPath(algorithm: "dp-als")) == false)
        #expect(FileManager.default.fileExists(atPath: ModelDirectory(directory: DataDirectory(path: data)).modelPath(algorithm: "als")) == false)
    }

    @Test("Spark flags without --engine spark, bad --spark-conf and other algorithms are usage errors")
    func usageErrors() {
        #expect(TactMain.run(["train", "--spark-master", "local[1]", "--data", data]) == 2)
        #expect(TactMain.run(["train", "--python", "/usr/bin/python3", "--data", data]) == 2)
        #expect(TactMain.run(["train", "--engine", "spark", "--spark-conf", "no-equals", "--data", data]) == 2)
        #expect(TactMain.run(["train", "--engine", "spark", "--algorithm", "knn", "--data", data]) == 2)
        #expect(TactMain.run(["train", "--engine", "flink", "--data", data]) == 2)
    }

    @Test("a Spark-trained model is saved like any other, marked as Spark's, and recommends")
    func trainSaveRecommend() throws {
        prepare()
        let python = standIn(rank: 4)
        #expect(TactMain.run(["train", "--engine", "spark", "--python", python, "--factors", "4", "--iterations", "3", "--data", data, "--json"]) == 0)
        let (stored, metadata) = try ModelFile.read(from: ModelDirectory(directory: DataDirectory(path: data)).modelPath(algorithm: "als"))
        let model = try stored.alsModel()
        #expect(metadata.parameters["engine"] == "spark" && metadata.parameters["factors"] == "4")
        #expect(model.users == 30 && model.users == metadata.users.count && model.items == metadata.items.count && model.userFactors.factors == 4)
        #expect(TactMain.run(["recommend", "u1", "--data", data, "--json"]) == 0)
        #expect(TactMain.run(["evaluate", "--engine", "spark", "--python", python, "--factors", "4", "--data", data, "--json"]) == 0)
        #expect(TactMain.run(["train", "--engine", "spark", "--python", tmp.file("no-such-python"), "--factors", "4", "--data", data]) == 1)
    }
}
