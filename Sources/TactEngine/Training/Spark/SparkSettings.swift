import Foundation

/// Where and how Spark runs: the master URL, the Python interpreter that has pyspark, extra Spark settings.
public struct SparkSettings: Sendable, Equatable {
    /// `local[*]` (every core of this machine), `local[N]`, or a cluster's URL (`spark://host:7077`, `yarn`, …).
    public var master: String
    /// The interpreter given with `--python`; nil to use TACT_PYSPARK_PYTHON, else `python3`.
    public var python: String?
    /// Extra Spark settings (`spark.driver.memory` = `4g`, …), passed to the session builder.
    public var configuration: [String: String]

    public init(master: String = "local[*]", python: String? = nil, configuration: [String: String] = [:]) {
        self.master = master
        self.python = python
        self.configuration = configuration
    }

    /// The variable that names the interpreter when `--python` is not given.
    public static let pythonVariable = "TACT_PYSPARK_PYTHON"

    /// `python`, else `$TACT_PYSPARK_PYTHON`, else `python3`.
    public func interpreter(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let python, !python.isEmpty { return python }
        if let fromEnvironment = environment[Self.pythonVariable], !fromEnvironment.isEmpty { return fromEnvironment }
        return "python3"
    }

    /// The interpreter's path: as given when it has a slash, else the first match on PATH; nil if none runs.
    static func executablePath(_ python: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if python.contains("/") { return FileManager.default.isExecutableFile(atPath: python) ? python : nil }
        for folder in (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") where !folder.isEmpty {
            let candidate = "\(folder)/\(python)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
