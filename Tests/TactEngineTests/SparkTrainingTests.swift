import Foundation
import TactCore
import TactRecommend
import TactTestSupport
import Testing

@testable import TactEngine

/// `tact train --engine spark` without Spark: the export, the refusals, the factors import, and the
/// whole run with a stand-in interpreter. The one test that runs Spark itself needs pyspark.
@Suite struct SparkTrainingTests {
    let tmp = TemporaryDirectory("tact-spark-test")

    @Test("the export holds exactly what 'tact train' trains on: no erased, restricted or withdrawn person; indices only")
    func exportFollowsConsent() throws {
        let f = try RightsFixture()
        let rights = SubjectRights(engine: f.engine)
        _ = try rights.erase(user: "eve", actor: "test")
        _ = try rights.restrict(user: "p1", actor: "test")
        _ = try rights.withdraw(user: "p2", purposes: [.modelTraining], actor: "test")
        let snapshot = try TrainingSnapshot.read(from: f.engine)
        let matrix = snapshot.data.matrix
        let path = tmp.file("export.parquet")
        #expect(try SparkTrainingExport.write(matrix, confidence: .linear, to: path, rowsPerGroup: 50) == matrix.nonZeros)

        let file = try ParquetTestFile(path: path)
        #expect(file.schema.map(\.name) == ["user", "item", "rating"] && file.schema.map(\.type) == [1, 1, 4])
        let excluded: Set<String> = ["eve", "p1", "p2"]
        let kept = f.events.filter { !excluded.contains($0.user) }  // the fixture has one event per (person, item)
        #expect(file.rows == Int64(kept.count))
        #expect(file.rowGroups == (kept.count + 49) / 50)
        let users = file.int32s("user"), items = file.int32s("item"), ratings = file.floats("rating")
        #expect(Set(users).count == Set(kept.map(\.user)).count)
        #expect(abs(Double(ratings.reduce(0, +)) - kept.reduce(0) { $0 + Double(EventWeight.strength(kind: $1.kind.rawValue, value: $1.value)) }) < 1e-3)
        // Cell for cell, the matrix Tact trains on, row by row.
        #expect(users == (0..<matrix.rows).flatMap { r in [Int32](repeating: Int32(r), count: matrix.count(ofRow: r)) })
        #expect(items == matrix.indices && ratings == matrix.values)
        // Nobody left out is a row; no pseudonym is in the file.
        let excludedHex = excluded.map { f.engine.pseudonymizer.pseudonym(for: $0).hex }
        #expect(snapshot.data.users.allSatisfy { !excludedHex.contains($0) })
        for hex in excludedHex + snapshot.data.users.prefix(10) { #expect(!fileContains(path, hex)) }
    }

    @Test("with log confidence the exported rating gives Spark the confidence Tact would use")
    func logConfidence() throws {
        let matrix = SparseMatrix(rows: 2, columns: 2, triplets: [(0, 0, 1), (0, 1, 4), (1, 1, 9)])
        let path = tmp.file("log.parquet")
        try SparkTrainingExport.write(matrix, confidence: .logarithmic(epsilon: 2), to: path)
        var c = ALSConfiguration()
        c.alpha = 3
        c.confidence = .logarithmic(epsilon: 2)
        for (rating, value) in zip(try ParquetTestFile(path: path).floats("rating"), matrix.values) {
            #expect(abs((1 + c.alpha * rating) - c.confidence(of: value)) < 1e-5)
        }
    }

    @Test("differentially private models, and models other than ALS, are refused before anything is written")
    func refusals() throws {
        let matrix = SparseMatrix(rows: 1, columns: 1, triplets: [(0, 0, 1)])
        let settings = SparkSettings(python: "/nonexistent/python")
        #expect(throws: SparkError.differentialPrivacy) {
            try SparkALSTrainer.train(matrix, spec: .privateALS(PrivateALSConfiguration()), settings: settings)
        }
        #expect(throws: SparkError.differentialPrivacy) {
            try SparkALSTrainer.train(matrix, spec: .privatePopular(maxItemsPerPerson: 5, epsilon: 1, delta: 1e-6), settings: settings)
        }
        #expect(throws: SparkError.onlyALS(algorithm: "knn")) { try SparkALSTrainer.train(matrix, spec: .knn(ItemKNNConfiguration()), settings: settings) }
        #expect(SparkError.differentialPrivacy.description.contains("no privacy accounting"))
        #expect(throws: SparkError.pythonNotFound(python: "/nonexistent/python")) {
            try SparkALSTrainer.train(matrix, spec: .als(ALSConfiguration()), settings: settings)
        }
        #expect(throws: SparkError.nothingToTrain) {
            try SparkALSTrainer.train(SparseMatrix(rows: 1, columns: 1, triplets: []), spec: .als(ALSConfiguration()), settings: settings)
        }
    }

    @Test("the interpreter: --python, else TACT_PYSPARK_PYTHON, else python3")
    func interpreterChoice() {
        #expect(SparkSettings(python: "/opt/py").interpreter(environment: ["TACT_PYSPARK_PYTHON": "/env/py"]) == "/opt/py")
        #expect(SparkSettings().interpreter(environment: ["TACT_PYSPARK_PYTHON": "/env/py"]) == "/env/py")
        #expect(SparkSettings().interpreter(environment: [:]) == "python3")
        #expect(SparkSettings.executablePath("sh", environment: ["PATH": "/nonexistent:/bin:/usr/bin"]) != nil)
        #expect(SparkSettings.executablePath("no-such-python-here", environment: ["PATH": "/bin:/usr/bin"]) == nil)
    }

    @Test("a factors file imports into the right shape; rows Spark did not learn are zero vectors")
    func factorsImport() throws {
        let path = tmp.file("users.factors")
        writeFactors(path, rank: 3, records: [(4, [1, 2, 3]), (0, [-1, 0.5, 0.25]), (3, [7, 8, 9])])
        let (factors, learned) = try SparkFactorsFile.read(path: path, rows: 5, rank: 3)
        #expect(learned == 3 && factors.rows == 5 && factors.factors == 3)
        #expect(Array(factors.row(0)) == [-1, 0.5, 0.25] && Array(factors.row(3)) == [7, 8, 9] && Array(factors.row(4)) == [1, 2, 3])
        #expect(Array(factors.row(1)) == [0, 0, 0] && Array(factors.row(2)) == [0, 0, 0])
    }

    @Test("a bad factors file is a clear error, never a crash")
    func badFactors() throws {
        func reason(_ build: (String) -> Void, rows: Int = 5, rank: Int = 3) -> String? {
            let path = tmp.file("bad-\(UUID().uuidString).factors")
            build(path)
            do { _ = try SparkFactorsFile.read(path: path, rows: rows, rank: rank); return nil } catch let error as SparkError {
                guard case .badFactors(_, let reason) = error else { return "other: \(error)" }
                return reason
            } catch { return "other: \(error)" }
        }
        #expect(reason { _ in } == "the file is missing or unreadable")
        #expect(reason { writeFactors($0, rank: 2, records: [(0, [1, 2])]) }?.contains("2 factors per row, expected 3") == true)
        #expect(reason { writeFactors($0, rank: 3, records: [(5, [1, 2, 3])]) }?.contains("outside 0..<5") == true)
        #expect(reason { writeFactors($0, rank: 3, records: [(-1, [1, 2, 3])]) }?.contains("outside") == true)
        #expect(reason { writeFactors($0, rank: 3, records: [(1, [1, 2, 3]), (1, [1, 2, 3])]) }?.contains("twice") == true)
        #expect(reason { writeFactors($0, rank: 3, records: [(1, [1, .nan, 3])]) }?.contains("finite") == true)
        #expect(reason { writeFactors($0, rank: 3, records: [(1, [1, 2, 3])], truncate: 2) }?.contains("truncated") == true)
        #expect(reason { writeFactors($0, rank: 3, records: Array(repeating: (0, [1, 2, 3]), count: 6)) }?.contains("6 rows") == true)
        #expect(
            reason { writeFactors($0, rank: 3, records: [], header: #"{"format": "other", "version": 1, "rank": 3, "rows": 0}"#) }?.contains("format 'other'")
                == true)
        #expect(reason { writeFactors($0, rank: 3, records: [], header: "not json") }?.contains("not the expected JSON") == true)
        #expect(reason { FileManager.default.createFile(atPath: $0, contents: Data("short\n".utf8)) }?.contains("header line") == true)
    }

    @Test("the whole run with a stand-in interpreter: private folder, Parquet in it, factors back, folder removed")
    func runWithStandIn() throws {
        let matrix = SparseMatrix(rows: 3, columns: 4, triplets: [(0, 0, 1), (0, 2, 2), (1, 1, 1), (2, 2, 5)])
        writeFactors(tmp.file("users.factors"), rank: 2, records: [(0, [1, 2]), (2, [3, 4])])  // person 1 missing
        writeFactors(tmp.file("items.factors"), rank: 2, records: [(0, [5, 6]), (1, [7, 8]), (2, [9, 10])])  // item 3 never seen
        let python = standIn(
            """
            pwd > "$OUT/workdir"
            ls -ld . > "$OUT/mode"
            cp ratings.parquet "$OUT/seen.parquet"
            cp "$2" "$OUT/job.json"
            test -f "$1"
            cp "$OUT/users.factors" users.factors
            cp "$OUT/items.factors" items.factors
            printf '{"fit_seconds": 0.5, "spark_version": "stand-in"}' > result.json
            """)
        var configuration = ALSConfiguration()
        configuration.factors = 2
        configuration.iterations = 5
        configuration.regularization = 0.1
        configuration.alpha = 2
        configuration.seed = 7
        var stages: [String] = []
        let trained = try SparkALSTrainer.train(matrix, spec: .als(configuration), settings: SparkSettings(master: "local[2]", python: python)) {
            stages.append($0)
        }

        let model = try #require(trained.als)
        #expect(model.users == 3 && model.items == 4 && model.userFactors.factors == 2)
        #expect(Array(model.userFactors.row(0)) == [1, 2] && Array(model.userFactors.row(1)) == [0, 0] && Array(model.userFactors.row(2)) == [3, 4])
        #expect(Array(model.itemFactors.row(2)) == [9, 10] && Array(model.itemFactors.row(3)) == [0, 0])
        #expect(model.configuration.factors == 2 && model.configuration.iterations == 5 && model.configuration.regularization == 0.1)
        #expect(model.configuration.alpha == 2 && model.configuration.seed == 7 && model.configuration.solver == .cholesky)
        #expect(abs(trained.secondsPerIteration - 0.1) < 1e-9)
        #expect(stages.count == 4 && stages[0].hasPrefix("exporting 4 pairs") && stages[1].contains("local[2]"))
        #expect(stages[3].contains("2 of 3 people and 3 of 4 items"))

        let workdir = try String(contentsOfFile: tmp.file("workdir"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try String(contentsOfFile: tmp.file("mode"), encoding: .utf8).hasPrefix("drwx------"))
        #expect(FileManager.default.fileExists(atPath: workdir) == false, "the private folder is removed")
        let seen = try ParquetTestFile(path: tmp.file("seen.parquet"))
        #expect(seen.int32s("user") == [0, 0, 1, 2] && seen.int32s("item") == [0, 2, 1, 2] && seen.floats("rating") == [1, 2, 1, 5])
        let job = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: tmp.file("job.json")))) as? [String: Any])
        #expect(job["rank"] as? Int == 2 && job["iterations"] as? Int == 5 && job["master"] as? String == "local[2]")
        #expect((job["input"] as? String)?.hasPrefix(workdir) == true && (job["scratch"] as? String)?.hasPrefix(workdir) == true)
    }

    @Test("the driver's exit status becomes an error that says what to do")
    func driverFailures() throws {
        let matrix = SparseMatrix(rows: 1, columns: 1, triplets: [(0, 0, 1)])
        func failure(_ script: String) -> SparkError? {
            do { _ = try SparkALSTrainer.train(matrix, spec: .als(ALSConfiguration()), settings: SparkSettings(python: standIn(script))); return nil } catch let
                error as SparkError
            { return error } catch { return nil }
        }
        let missing = failure("echo \"tact-spark: No module named 'pyspark'\" >&2; exit 3")
        #expect(missing?.description.contains("No module named 'pyspark'") == true)
        #expect(missing?.description.contains("pip install pyspark numpy") == true && missing?.description.contains("Java 17") == true)
        #expect(failure("echo 'tact-spark: Java gateway process exited' >&2; exit 4")?.description.contains("Java 17 or later") == true)
        let failed = failure("echo 'line one'; echo 'it broke' >&2; exit 1")
        #expect(failed == .driverFailed(status: 1, log: "line one\nit broke"))
        #expect(failure("exit 0")?.description.contains("without writing its result") == true)
    }

    // MARK: Helpers

    /// An executable shell script standing in for Python; `$OUT` is the test's folder.
    func standIn(_ body: String) -> String {
        let path = tmp.write("python-\(UUID().uuidString).sh", "#!/bin/sh\nset -e\nOUT='\(tmp.path)'\n\(body)\n")
        chmod(path, 0o755)
        return path
    }
}

/// Writes a factors file as the driver does; `truncate` drops bytes from the end, `header` replaces the JSON.
func writeFactors(_ path: String, rank: Int, records: [(Int32, [Float])], truncate: Int = 0, header: String? = nil) {
    let text = header ?? #"{"format": "tact-spark-factors", "version": 1, "rank": \#(rank), "rows": \#(records.count)}"#
    var bytes = Array(text.utf8) + [UInt8](repeating: UInt8(ascii: " "), count: 127 - text.utf8.count) + [UInt8(ascii: "\n")]
    for (id, values) in records {
        withUnsafeBytes(of: id.littleEndian) { bytes += $0 }
        for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes += $0 } }
    }
    bytes.removeLast(truncate)
    FileManager.default.createFile(atPath: path, contents: Data(bytes))
}
