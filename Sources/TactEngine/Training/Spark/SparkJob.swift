import Foundation
import TactRecommend

/// What the driver script is asked to do (`job.json` in the work folder) and what it reports back
/// (`result.json`). Paths are all inside the private work folder.
struct SparkJob {
    static let jobFile = "job.json"
    static let resultFile = "result.json"
    static let userFactorsFile = "users.factors"
    static let itemFactorsFile = "items.factors"

    var configuration: ALSConfiguration
    var settings: SparkSettings
    var work: SparkWorkDirectory

    /// Writes the driver script and its job description.
    func write() throws {
        // Spark's regParam is applied as in ALS-WR (scaled by each row's count of ratings); Tact's λ is
        // not scaled. The value is passed as given: tune it for each engine (see docs/spark.md).
        let job: [String: Any] = [
            "input": work.file("ratings.parquet"),
            "scratch": work.file("spark"),
            "master": settings.master,
            "conf": settings.configuration,
            "rank": configuration.factors,
            "iterations": configuration.iterations,
            "reg_param": Double(configuration.regularization),
            "alpha": Double(configuration.alpha),
            "seed": Int64(bitPattern: configuration.seed),
            "user_factors": work.file(Self.userFactorsFile),
            "item_factors": work.file(Self.itemFactorsFile),
            "result": work.file(Self.resultFile)
        ]
        let attributes: [FileAttributeKey: Any] = [.posixPermissions: 0o600]
        do {
            try FileManager.default.createDirectory(atPath: work.file("spark"), withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
            let json = try JSONSerialization.data(withJSONObject: job, options: [.sortedKeys])
            guard FileManager.default.createFile(atPath: work.file(Self.jobFile), contents: json, attributes: attributes),
                FileManager.default.createFile(
                    atPath: work.file(SparkDriverScript.fileName), contents: Data(SparkDriverScript.source.utf8), attributes: attributes)
            else {
                throw SparkError.workDirectory(reason: "cannot write the Spark job into \(work.path)")
            }
        } catch let error as SparkError {
            throw error
        } catch {
            throw SparkError.workDirectory(reason: "cannot prepare the Spark job in \(work.path): \(error)")
        }
    }

    /// What the driver reports when it succeeds.
    struct Result: Decodable {
        var fitSeconds: Double
        var sparkVersion: String

        enum CodingKeys: String, CodingKey {
            case fitSeconds = "fit_seconds", sparkVersion = "spark_version"
        }

        static func read(path: String) throws -> Result {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw SparkError.badFactors(file: path, reason: "the driver finished without writing its result")
            }
            do { return try JSONDecoder().decode(Result.self, from: data) } catch {
                throw SparkError.badFactors(file: path, reason: "the driver's result is not the expected JSON")
            }
        }
    }
}
