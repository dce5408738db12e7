import ArgumentParser
import TactEngine

/// The flags that choose what trains a model, shared by `train` and `evaluate`: Tact's own code, or
/// Apache Spark (see docs/spark.md).
struct EngineOptions: ParsableArguments {
    enum Name: String, ExpressibleByArgument, CaseIterable { case builtin, spark }

    @Option(
        help:
            "What trains the model: builtin (Tact's own) or spark (Apache Spark MLlib's implicit ALS through pyspark; --algorithm als only, no DP; see docs/spark.md)."
    )
    var engine: Name = .builtin
    @Option(help: ArgumentHelp("Spark: the master URL (default local[*], or local[N] with --threads N; spark://HOST:7077 for a cluster).", valueName: "URL"))
    var sparkMaster: String?
    @Option(help: ArgumentHelp("Spark: the Python interpreter that has pyspark (default: $TACT_PYSPARK_PYTHON, else python3).", valueName: "PATH"))
    var python: String?
    @Option(help: ArgumentHelp("Spark: a Spark setting for the session, e.g. spark.driver.memory=4g (repeatable).", valueName: "KEY=VALUE"))
    var sparkConf: [String] = []

    func validate() throws {
        if engine != .spark, sparkMaster != nil || python != nil || !sparkConf.isEmpty {
            throw ValidationError("--spark-master, --python and --spark-conf are for --engine spark")
        }
        for setting in sparkConf where !setting.contains("=") || setting.hasPrefix("=") {
            throw ValidationError("--spark-conf takes KEY=VALUE (e.g. spark.driver.memory=4g), not '\(setting)'")
        }
        if let sparkMaster, sparkMaster.isEmpty { throw ValidationError("--spark-master must not be empty") }
    }

    /// The engine to train `model` with. Spark is refused, as a usage error, for anything but plain ALS:
    /// it has no privacy accounting, so a DP model (or a DP option, or the privacy report) never goes to it.
    func resolved(model: ModelOptions, privacyReport: Bool = false) throws -> TrainingEngine {
        guard engine == .spark else { return .builtIn }
        let dpOptions = model.privateModel.optionsGiven
        if model.chosen == .dpALS || model.chosen == .dpPopular || privacyReport || !dpOptions.isEmpty {
            let given = dpOptions.isEmpty ? "" : " (given: \(dpOptions.joined(separator: ", ")))"
            throw ValidationError(SparkError.differentialPrivacy.description + given)
        }
        guard model.chosen == .als else { throw ValidationError(SparkError.onlyALS(algorithm: model.chosen.rawValue).description) }
        var configuration: [String: String] = [:]
        for setting in sparkConf {
            let parts = setting.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            configuration[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
        }
        let master = sparkMaster ?? (model.threads > 0 ? "local[\(model.threads)]" : "local[*]")
        return .spark(SparkSettings(master: master, python: python, configuration: configuration))
    }
}

extension PrivateModelOptions {
    /// The differential-privacy flags whose value is not the default: those someone gave.
    var optionsGiven: [String] {
        guard let defaults = try? PrivateModelOptions.parse([]) else { return [] }
        let pairs: [(String, String, String)] = [
            ("--dp-epsilon", "\(dpEpsilon)", "\(defaults.dpEpsilon)"),
            ("--dp-factors", "\(factors)", "\(defaults.factors)"),
            ("--dp-iterations", "\(iterations)", "\(defaults.iterations)"),
            ("--dp-regularization", "\(regularization)", "\(defaults.regularization)"),
            ("--dp-alpha", "\(alpha)", "\(defaults.alpha)"),
            ("--max-items-per-person", "\(maxItemsPerPerson)", "\(defaults.maxItemsPerPerson)"),
            ("--count-share", "\(countShare)", "\(defaults.countShare)"),
            ("--vocabulary-threshold", "\(vocabularyThreshold)", "\(defaults.vocabularyThreshold)"),
            ("--noise-regularization", "\(noiseRegularization)", "\(defaults.noiseRegularization)"),
            ("--matrix-share", "\(matrixShare)", "\(defaults.matrixShare)"),
            ("--gram-share", "\(gramShare)", "\(defaults.gramShare)"),
            ("--vector-share", "\(vectorShare)", "\(defaults.vectorShare)"),
            ("--delta", "\(delta)", "\(defaults.delta)")
        ]
        return pairs.filter { $0.1 != $0.2 }.map(\.0)
    }
}
