import Crypto
import Foundation

/// Frequencies of values (items played, words typed) learned from devices under local differential
/// privacy, with the count-mean sketch Apple deploys (Apple Differential Privacy Team, "Learning with
/// Privacy at Scale", 2017). A device hashes its value with one of `hashes` functions picked at random
/// into a ±1 vector of `width` entries, flips each entry with probability 1/(1 + e^(ε/2)), and sends
/// the vector and the hash's index: that report alone is ε-differentially private, whatever the server
/// does with it. The server adds the debiased reports into a `hashes` × `width` sketch and reads any
/// value's count back, unbiased, with error that shrinks as reports grow.
public struct CountMeanSketch: Sendable, Equatable, Codable {
    public let hashes: Int
    public let width: Int
    public let epsilon: Double

    public init(hashes: Int = 256, width: Int = 1024, epsilon: Double) {
        precondition(hashes >= 1 && width >= 2, "a sketch needs at least one hash and two columns")
        precondition(epsilon > 0 && epsilon.isFinite, "ε must be positive")
        self.hashes = hashes
        self.width = width
        self.epsilon = epsilon
    }

    /// What a device sends: the hash index and the privatized vector (bit set = +1, clear = −1).
    public struct Report: Sendable, Equatable, Codable {
        public var hash: Int
        public var bits: [UInt8]
        public init(hash: Int, bits: [UInt8]) {
            self.hash = hash
            self.bits = bits
        }

        /// Entry `l` as ±1.
        @inline(__always) public func sign(_ l: Int) -> Double { bits[l >> 3] & (1 << UInt8(l & 7)) != 0 ? 1 : -1 }
    }

    /// The column of `value` under hash `j`: SHA-256 of the hash index and the value, modulo the width.
    public func column(_ value: String, hash j: Int) -> Int {
        var data = Data()
        withUnsafeBytes(of: UInt32(j).littleEndian) { data.append(contentsOf: $0) }
        data.append(contentsOf: value.utf8)
        let digest = SHA256.hash(data: data)
        let word = digest.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
        return Int(UInt64(littleEndian: word) % UInt64(width))
    }

    /// The chance each entry is flipped.
    public var flipProbability: Double { 1 / (1 + exp(epsilon / 2)) }

    /// A device's report on `value` (run on the device).
    public func report(_ value: String, using generator: inout some RandomNumberGenerator) -> Report {
        let j = Int(generator.next() % UInt64(hashes))
        let hot = column(value, hash: j)
        let flip = flipProbability
        var bits = [UInt8](repeating: 0, count: (width + 7) / 8)
        for l in 0..<width {
            var positive = l == hot
            if Double(generator.next() >> 11) / Double(1 << 53) < flip { positive.toggle() }
            if positive { bits[l >> 3] |= 1 << UInt8(l & 7) }
        }
        return Report(hash: j, bits: bits)
    }
}

/// The server's side: the sketch of every report received, and estimates read from it.
public struct CountMeanSketchAggregator: Sendable {
    public let sketch: CountMeanSketch
    private var matrix: [Double]
    public private(set) var reports = 0

    public init(_ sketch: CountMeanSketch) {
        self.sketch = sketch
        matrix = [Double](repeating: 0, count: sketch.hashes * sketch.width)
    }

    public enum Failure: Error, Equatable, CustomStringConvertible {
        case malformed(String)
        public var description: String {
            switch self {
            case .malformed(let why): "a malformed report: \(why)"
            }
        }
    }

    /// Adds one report, debiased: x = k · (c_ε/2 · v + 1/2) in row `hash`, c_ε = (e^(ε/2) + 1)/(e^(ε/2) − 1).
    public mutating func add(_ report: CountMeanSketch.Report) throws {
        guard (0..<sketch.hashes).contains(report.hash) else { throw Failure.malformed("hash index \(report.hash) is not below \(sketch.hashes)") }
        guard report.bits.count == (sketch.width + 7) / 8 else {
            throw Failure.malformed("\(report.bits.count) bytes where \((sketch.width + 7) / 8) are expected")
        }
        let e = exp(sketch.epsilon / 2), c = (e + 1) / (e - 1)
        let k = Double(sketch.hashes), row = report.hash * sketch.width
        for l in 0..<sketch.width { matrix[row + l] += k * (c / 2 * report.sign(l) + 0.5) }
        reports += 1
    }

    /// The estimated number of reports of `value`: m/(m − 1) · (mean over hashes of the sketch at the
    /// value's column − n/m).
    public func estimate(_ value: String) -> Double {
        let m = Double(sketch.width), n = Double(reports)
        var total: Double = 0
        for j in 0..<sketch.hashes { total += matrix[j * sketch.width + sketch.column(value, hash: j)] }
        return m / (m - 1) * (total / Double(sketch.hashes) - n / m)
    }

    /// The standard deviation of one estimate after n reports, for a value rare next to n: each report
    /// adds c_ε/2 · v + 1/2 at the value's column (v = ±1 after flipping, variance (c_ε² − 1)/4) and
    /// collides with it with probability 1/m, so Var ≈ (m/(m − 1))² · n · ((c_ε² − 1)/4 + 1/m).
    public func standardDeviation() -> Double {
        let e = exp(sketch.epsilon / 2), c = (e + 1) / (e - 1)
        let m = Double(sketch.width), n = Double(reports)
        return (n * ((c * c - 1) / 4 + 1 / m) * (m / (m - 1)) * (m / (m - 1))).squareRoot()
    }
}
