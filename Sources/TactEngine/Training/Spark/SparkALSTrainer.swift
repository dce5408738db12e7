import Foundation
import TactCore
import TactRecommend

/// Trains implicit ALS on Apache Spark (MLlib's `ALS`, `implicitPrefs=True`) instead of Tact's own
/// iALS, and returns a model of the same kind, which is saved, served and evaluated as any other.
///
/// In a private temporary folder (0700, removed at the end, failure or not) it writes the matrix as
/// Parquet (matrix indices only: Spark never sees a pseudonym or an item id), runs the driver script
/// with the interpreter that has pyspark, and reads the factors back. Rows Spark learned nothing for
/// get zero vectors. Differentially private models are refused: Spark has no privacy accounting.
public enum SparkALSTrainer {
    /// A line for people about the stage the run is in (exporting, running Spark, importing).
    public typealias Stage = (String) -> Void

    public static func train(_ matrix: SparseMatrix, spec: ModelSpec, settings: SparkSettings, stage: Stage? = nil) throws -> TrainedModel {
        let configuration = try alsConfiguration(of: spec)
        guard matrix.nonZeros > 0 else { throw SparkError.nothingToTrain }
        let python = settings.interpreter()
        guard let executable = SparkSettings.executablePath(python) else { throw SparkError.pythonNotFound(python: python) }
        let started = Date()
        let work = try SparkWorkDirectory.create()
        defer { work.remove() }

        stage?(
            "exporting \(matrix.nonZeros) pairs (\(matrix.rows) people × \(matrix.columns) items, matrix indices only) as Parquet to a private temporary folder"
        )
        try SparkTrainingExport.write(matrix, confidence: configuration.confidence, to: work.file("ratings.parquet"))

        stage?("running Spark ALS (master \(settings.master), \(configuration.factors) factors, \(configuration.iterations) iterations) with \(python)")
        let job = SparkJob(configuration: configuration, settings: settings, work: work)
        try job.write()
        try runDriver(executable: executable, python: python, work: work)

        stage?("importing the factors")
        let result = try SparkJob.Result.read(path: work.file(SparkJob.resultFile))
        let users = try SparkFactorsFile.read(path: work.file(SparkJob.userFactorsFile), rows: matrix.rows, rank: configuration.factors)
        let items = try SparkFactorsFile.read(path: work.file(SparkJob.itemFactorsFile), rows: matrix.columns, rank: configuration.factors)
        if users.learned < matrix.rows || items.learned < matrix.columns {
            stage?("Spark learned \(users.learned) of \(matrix.rows) people and \(items.learned) of \(matrix.columns) items; the rest get zero vectors")
        }
        var modelConfiguration = configuration
        modelConfiguration.solver = .cholesky  // Spark solves each row's least squares exactly, by Cholesky
        let model = ALSModel(configuration: modelConfiguration, userFactors: users.factors, itemFactors: items.factors)
        let seconds = Date().timeIntervalSince(started)
        return TrainedModel(als: model, seconds: seconds, secondsPerIteration: result.fitSeconds / Double(max(configuration.iterations, 1)))
    }

    /// The ALS settings of `spec`, or why Spark cannot train it.
    static func alsConfiguration(of spec: ModelSpec) throws -> ALSConfiguration {
        if spec.isPrivate { throw SparkError.differentialPrivacy }
        guard let configuration = spec.training as? ALSConfiguration else { throw SparkError.onlyALS(algorithm: spec.name) }
        return configuration
    }

    /// Runs the driver, its output going to a log in the work folder; maps its exit status to an error.
    static func runDriver(executable: String, python: String, work: SparkWorkDirectory) throws {
        let logPath = work.file("driver.log")
        guard FileManager.default.createFile(atPath: logPath, contents: nil, attributes: [.posixPermissions: 0o600]),
            let log = FileHandle(forWritingAtPath: logPath)
        else {
            throw SparkError.workDirectory(reason: "cannot create \(logPath)")
        }
        defer { try? log.close() }
        try FileManager.default.createDirectory(atPath: work.file("tmp"), withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [work.file(SparkDriverScript.fileName), work.file(SparkJob.jobFile)]
        process.currentDirectoryURL = URL(fileURLWithPath: work.path)
        var environment = ProcessInfo.processInfo.environment
        environment["PYSPARK_PYTHON"] = executable
        environment["PYSPARK_DRIVER_PYTHON"] = executable
        environment["TMPDIR"] = work.file("tmp")
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = log
        process.standardError = log
        do { try process.run() } catch { throw SparkError.pythonNotFound(python: python) }
        process.waitUntilExit()
        let status = process.terminationStatus
        guard process.terminationReason == .exit, status == 0 else {
            let output = logTail(logPath)
            let reported = output.split(separator: "\n").last { $0.hasPrefix("tact-spark: ") }.map { String($0.dropFirst("tact-spark: ".count)) }
            switch (process.terminationReason, status) {
            case (.exit, 3): throw SparkError.pysparkMissing(python: python, detail: reported ?? "import failed")
            case (.exit, 4): throw SparkError.sparkDidNotStart(python: python, detail: reported ?? output)
            default: throw SparkError.driverFailed(status: status, log: output)
            }
        }
    }

    /// The last lines of the driver's output (it names no person: Spark only ever had matrix indices).
    static func logTail(_ path: String, lines: Int = 25) -> String {
        guard let data = FileManager.default.contents(atPath: path) else { return "(no output)" }
        let text = String(decoding: data, as: UTF8.self)
        let tail = text.split(separator: "\n", omittingEmptySubsequences: true).suffix(lines)
        return tail.isEmpty ? "(no output)" : tail.joined(separator: "\n")
    }
}
