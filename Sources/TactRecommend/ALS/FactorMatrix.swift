import TactCore

/// A dense row-major Float32 matrix of factor vectors, one row per user or item. Rows are padded
/// with zeros to a multiple of 16 floats so kernels can work in whole SIMD16 registers.
public struct FactorMatrix: Sendable, Equatable {
    public let rows: Int
    public let factors: Int
    /// Floats per row in storage (factors rounded up to a multiple of 16).
    public let stride: Int
    public var storage: [Float]

    public init(rows: Int, factors: Int) {
        self.rows = rows
        self.factors = factors
        self.stride = (factors + 15) / 16 * 16
        self.storage = [Float](repeating: 0, count: rows * stride)
    }

    /// Small random values (uniform in [0, 0.01)), deterministic for the seed.
    public static func random(rows: Int, factors: Int, seed: UInt64) -> FactorMatrix {
        var m = FactorMatrix(rows: rows, factors: factors)
        var random = SplitMix64(seed: seed &+ 0x9E37_79B9_7F4A_7C15)
        for r in 0..<rows {
            for f in 0..<factors {
                m.storage[r * m.stride + f] = Float(random.next() >> 40) / Float(1 << 24) * 0.01
            }
        }
        return m
    }

    /// One row's factors (without padding).
    public func row(_ r: Int) -> ArraySlice<Float> { storage[(r * stride)..<(r * stride + factors)] }
}
