import Foundation
import TactCore
import TactRecommend
import Testing

@testable import TactEngine

/// The Python that can run Spark here: `$TACT_PYSPARK_PYTHON`, else `python3`, if it imports pyspark
/// and numpy and a `java` is on the PATH (or JAVA_HOME is set). CI installs neither, so the test skips.
enum SparkAvailability {
    static let python: String? = {
        let environment = ProcessInfo.processInfo.environment
        let candidate = SparkSettings().interpreter(environment: environment)
        guard let executable = SparkSettings.executablePath(candidate, environment: environment),
            SparkSettings.executablePath("java", environment: environment) != nil || environment["JAVA_HOME"] != nil
        else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["-c", "import pyspark, numpy"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        process.waitUntilExit()
        return process.terminationStatus == 0 ? executable : nil
    }()
}

@Suite struct SparkRunTests {
    @Test(
        "Spark's ALS learns two tastes apart; an item nobody had gets a zero vector",
        .enabled(
            if: SparkAvailability.python != nil,
            "needs pyspark and numpy in $TACT_PYSPARK_PYTHON or python3, and Java 17 (python3 -m venv v; v/bin/pip install pyspark numpy; TACT_PYSPARK_PYTHON=v/bin/python)"
        ),
        .timeLimit(.minutes(5)))
    func sparkLearnsTastes() throws {
        // 40 people: even ones play items 0–9, odd ones 10–19; item 20 exists but nobody had it.
        var triplets: [(row: Int32, column: Int32, value: Float)] = []
        for p in 0..<40 {
            let base = p % 2 == 0 ? 0 : 10
            for i in 0..<10 where (i + p) % 4 != 0 { triplets.append((Int32(p), Int32(base + i), Float(1 + (i + p) % 3))) }
        }
        let matrix = SparseMatrix(rows: 40, columns: 21, triplets: triplets)
        var configuration = ALSConfiguration()
        configuration.factors = 4
        configuration.iterations = 8
        configuration.regularization = 0.05
        configuration.alpha = 5
        var stages: [String] = []
        let trained = try SparkALSTrainer.train(
            matrix, spec: .als(configuration),
            settings: SparkSettings(master: "local[1]", python: SparkAvailability.python)
        ) { stages.append($0) }
        let model = try #require(trained.als)
        #expect(model.users == 40 && model.items == 21 && model.userFactors.factors == 4)
        #expect(Array(model.itemFactors.row(20)) == [0, 0, 0, 0])
        #expect(stages.last?.contains("40 of 40 people and 20 of 21 items") == true)
        let serving = ALSServing(model: model, indexThreshold: .max)
        for p in 0..<6 {
            // The top of the list is the items of their taste they have not had yet (2 or 3 of them).
            let range: ClosedRange<Int32> = p % 2 == 0 ? 0...9 : 10...19
            let unseen = range.filter { !matrix.row(p).indices.contains($0) }
            let top = serving.recommendExact(serving.userVector(p), k: unseen.count, excluding: Set(matrix.row(p).indices)).map(\.item)
            #expect(Set(top) == Set(unseen), "person \(p) gets their own taste: \(top)")
        }
    }
}
