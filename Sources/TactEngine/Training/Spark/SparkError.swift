/// Why training on Spark did not happen or did not finish, with what to do about it.
public enum SparkError: Error, CustomStringConvertible, Equatable {
    /// A differentially private model was asked of Spark.
    case differentialPrivacy
    /// A model other than implicit ALS was asked of Spark.
    case onlyALS(algorithm: String)
    case nothingToTrain
    case pythonNotFound(python: String)
    /// The interpreter runs but cannot import pyspark (or numpy, which pyspark.ml needs).
    case pysparkMissing(python: String, detail: String)
    /// pyspark imports, but Spark's JVM did not start (no Java, the wrong Java, a bad master URL).
    case sparkDidNotStart(python: String, detail: String)
    /// The driver failed while training or writing the factors; `log` is the end of its output.
    case driverFailed(status: Int32, log: String)
    case workDirectory(reason: String)
    /// A factors file that is not what the driver writes.
    case badFactors(file: String, reason: String)

    public var description: String {
        switch self {
        case .differentialPrivacy:
            return
                "--engine spark cannot train a differentially private model: Spark's ALS has no privacy accounting, so nothing it trains can be a DP release. Use the built-in engine for DP models (leave out --engine, or --engine builtin) and the DP options (--algorithm dp-als or dp-popular, --dp-*)"
        case .onlyALS(let algorithm):
            return "--engine spark trains implicit ALS only, not \(algorithm); use --algorithm als, or the built-in engine for \(algorithm)"
        case .nothingToTrain:
            return "there is nothing to train on: the training matrix has no cells"
        case .pythonNotFound(let python):
            return
                "cannot run Python '\(python)'. Give the interpreter that has pyspark with --python PATH or TACT_PYSPARK_PYTHON; to make one: \(Self.installHint)"
        case .pysparkMissing(let python, let detail):
            return "Python '\(python)' cannot import pyspark (\(detail)). Install it in a virtual environment and point Tact at it: \(Self.installHint)"
        case .sparkDidNotStart(let python, let detail):
            return
                "pyspark imports in '\(python)', but Spark did not start: \(detail). Spark needs Java 17 or later on the PATH (or JAVA_HOME); check 'java -version' and --spark-master"
        case .driverFailed(let status, let log):
            return "Spark's ALS failed (driver exit status \(status)); the end of its output:\n\(log)"
        case .workDirectory(let reason):
            return reason
        case .badFactors(let file, let reason):
            return "the factors Spark wrote are unusable (\(file)): \(reason); nothing was saved"
        }
    }

    static let installHint =
        "python3 -m venv ~/.venvs/tact-spark && ~/.venvs/tact-spark/bin/pip install pyspark numpy, then --python ~/.venvs/tact-spark/bin/python (Spark needs Java 17 or later)"
}
