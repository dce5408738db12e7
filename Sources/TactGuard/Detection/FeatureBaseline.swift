import Foundation

/// A principal's usual behaviour, feature by feature: exponentially weighted mean and variance over
/// its past windows (EWMA), a robust score of a new window against them, and the hours of day it is
/// usually active in. New principals borrow the population's baseline until they have history.
public struct FeatureBaseline: Sendable {
    /// Weight of the newest window.
    public var decay: Double = 0.05
    public private(set) var mean: [Double]
    public private(set) var variance: [Double]
    public private(set) var windows = 0
    /// Requests per hour of day (UTC), decayed.
    public private(set) var hours = [Double](repeating: 0, count: 24)
    public private(set) var routes: Set<String> = []

    public init(features: Int = WindowFeatures.names.count) {
        mean = [Double](repeating: 0, count: features)
        variance = [Double](repeating: 0, count: features)
    }

    /// Standard scores of a window: (x − mean) / max(σ, floor), the floor keeping a quiet principal's
    /// tiny variance from turning noise into alarms. `floor` is per feature.
    public func scores(_ x: [Double], floor: [Double]) -> [Double] {
        x.indices.map { i in (x[i] - mean[i]) / max(variance[i].squareRoot(), floor[i]) }
    }

    public mutating func update(_ x: [Double]) {
        let a = windows == 0 ? 1 : decay
        for i in x.indices {
            let delta = x[i] - mean[i]
            mean[i] += a * delta
            variance[i] = (1 - a) * (variance[i] + a * delta * delta)
        }
        windows += 1
    }

    public mutating func observe(hour: Int, route: String) {
        hours[hour] += 1
        routes.insert(route)
    }

    /// Whether the principal is almost never active at this hour (under 0.5% of its requests, an eighth
    /// of an even share, once it has some history).
    public func isOffHours(_ hour: Int) -> Bool {
        let total = hours.reduce(0, +)
        return total >= 50 && hours[hour] < 0.005 * total
    }

    public func knows(route: String) -> Bool { routes.contains(route) }
}
