import Foundation
import TactCore
import TactDevice
import TactPrivacy

/// Item popularity learned with the count-mean sketch from every person's device, compared with the
/// true counts of what the devices reported: how far the estimates are, and whether the top items come
/// out on top.
public struct TelemetrySimulation: Sendable, Codable {
    public var devices: Int
    public var reportsPerDevice: Int
    public var reports: Int
    public var epsilonPerReport: Double
    public var epsilonPerDevice: Double
    public var hashes: Int
    public var width: Int
    /// Mean absolute and root-mean-square error of the estimated counts, over every catalog item.
    public var meanAbsoluteError: Double
    public var rootMeanSquareError: Double
    /// The standard deviation the sketch predicts for one estimate.
    public var predictedStandardDeviation: Double
    /// How many of the true top 10 and top 50 the estimated top 10 and top 50 contain.
    public var top10Overlap: Int
    public var top50Overlap: Int
    /// The most reported item's true and estimated count.
    public var largestTrueCount: Int
    public var largestEstimate: Double
    public var seconds: Double

    /// Each row of `matrix` is a device holding those items; `items` names the columns.
    public static func run(_ matrix: SparseMatrix, items: [String], sketch: CountMeanSketch, reportsPerDevice: Int, seed: UInt64) throws -> TelemetrySimulation
    {
        let started = Date()
        var generator = ChaCha20Generator(seed: seed)
        var aggregator = CountMeanSketchAggregator(sketch)
        var truth = [String: Int]()
        var devices = 0
        for u in 0..<matrix.rows where matrix.count(ofRow: u) > 0 {
            devices += 1
            let history = matrix.row(u).indices.map { items[Int($0)] }
            // The device picks and privatizes; the server only sees the reports. The simulation keeps
            // what was picked, to score the estimates.
            let picked = PopularityTelemetry.pick(items: history, count: reportsPerDevice, using: &generator)
            for item in picked { truth[item, default: 0] += 1 }
            let reports = picked.map { sketch.report($0, using: &generator) }
            for r in reports { try aggregator.add(r) }
        }
        let estimates = items.map { aggregator.estimate($0) }
        let trueCounts = items.map { Double(truth[$0] ?? 0) }
        var absolute: Double = 0, squares: Double = 0
        for (e, t) in zip(estimates, trueCounts) { absolute += abs(e - t); squares += (e - t) * (e - t) }
        func top(_ values: [Double], _ k: Int) -> Set<Int> { Set(values.indices.sorted { values[$0] > values[$1] }.prefix(k)) }
        let largest = trueCounts.indices.max { trueCounts[$0] < trueCounts[$1] } ?? 0
        return TelemetrySimulation(
            devices: devices, reportsPerDevice: reportsPerDevice, reports: aggregator.reports, epsilonPerReport: sketch.epsilon,
            epsilonPerDevice: sketch.epsilon * Double(reportsPerDevice), hashes: sketch.hashes, width: sketch.width,
            meanAbsoluteError: absolute / Double(max(items.count, 1)), rootMeanSquareError: (squares / Double(max(items.count, 1))).squareRoot(),
            predictedStandardDeviation: aggregator.standardDeviation(),
            top10Overlap: top(estimates, 10).intersection(top(trueCounts, 10)).count, top50Overlap: top(estimates, 50).intersection(top(trueCounts, 50)).count,
            largestTrueCount: Int(trueCounts.isEmpty ? 0 : trueCounts[largest]), largestEstimate: estimates.isEmpty ? 0 : estimates[largest],
            seconds: Date().timeIntervalSince(started))
    }
}
