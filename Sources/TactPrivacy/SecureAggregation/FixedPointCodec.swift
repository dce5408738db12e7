/// Real values as integers in Z_2^32 so that masked sums wrap and cancel exactly: v ↦ round(v · scale)
/// as a two's-complement 32-bit word. The scale is chosen so that the sum of `participants` values,
/// each clamped to [−bound, bound], cannot overflow: scale = ⌊(2³¹ − 1) / (participants · bound)⌋.
/// Decoding the wrapped sum gives the real sum within participants / (2 · scale).
public struct FixedPointCodec: Sendable, Equatable, Codable {
    public let scale: Double
    public let bound: Float
    /// The largest encoded magnitude: ⌊(2³¹ − 1)/participants⌋, so no sum can wrap even after rounding.
    let largestWord: Int32

    public init(participants: Int, bound: Float) {
        precondition(Self.fits(participants: participants, bound: bound), "\(participants) participants with bound \(bound) leave no precision in 32 bits")
        self.bound = bound
        scale = ((Double(Int32.max) / (Double(participants) * Double(bound)))).rounded(.down)
        largestWord = Int32.max / Int32(participants)
    }

    /// Whether `participants` values of magnitude `bound` can be summed with at least one unit per 1.
    public static func fits(participants: Int, bound: Float) -> Bool {
        participants >= 1 && participants < Int(Int32.max) && bound > 0 && bound.isFinite && Double(participants) * Double(bound) <= Double(Int32.max)
    }

    /// The largest error of a decoded sum of `participants` values (half a unit each).
    public func sumError(participants: Int) -> Double { Double(participants) * 0.5 / scale }

    /// Encodes `values`, clamping each to [−bound, bound]; returns the words and how many were clamped.
    public func encode(_ values: [Float]) -> (words: [UInt32], clamped: Int) {
        var clamped = 0
        let words = values.map { v -> UInt32 in
            var c = v
            if !(c <= bound) { c = c.isNaN ? 0 : bound; clamped += 1 } else if c < -bound { c = -bound; clamped += 1 }
            let word = Int32((Double(c) * scale).rounded())
            return UInt32(bitPattern: min(max(word, -largestWord), largestWord))
        }
        return (words, clamped)
    }

    /// Encodes `values` after scaling them down to L2 norm `normBound` when larger (clipping, as in
    /// DP-FedAvg: the direction is kept). Returns the words, the values clamped per coordinate, and
    /// whether the vector was clipped. Non-finite values count as 0.
    public func encode(_ values: [Float], normBound: Float) -> (words: [UInt32], clamped: Int, clipped: Bool) {
        var copy = values
        let clipped = copy.withUnsafeMutableBufferPointer { Self.clip($0, norm: normBound) }
        let (words, clamped) = encode(copy)
        return (words, clamped, clipped)
    }

    /// The L2 norm of `values`, in Float32 sixteen lanes at a time.
    public static func norm(_ values: UnsafeBufferPointer<Float>) -> Float {
        guard let base = values.baseAddress else { return 0 }
        let n = values.count
        var acc = SIMD16<Float>(repeating: 0)
        var i = 0
        while i + 16 <= n {
            let v = UnsafeRawPointer(base + i).loadUnaligned(as: SIMD16<Float>.self)
            acc = acc + v * v
            i += 16
        }
        var tail: Float = 0
        while i < n { tail = tail + base[i] * base[i]; i += 1 }
        return (acc.sum() + tail).squareRoot()
    }

    /// Scales `values` down to L2 norm `limit` when it is larger; non-finite entries become 0 first.
    /// Returns whether anything changed.
    @discardableResult
    public static func clip(_ values: UnsafeMutableBufferPointer<Float>, norm limit: Float) -> Bool {
        var changed = false
        for i in values.indices where !values[i].isFinite { values[i] = 0; changed = true }
        var n = norm(UnsafeBufferPointer(values))
        guard n > limit else { return changed }
        if !n.isFinite {
            // The squares overflowed: divide by the largest magnitude first (the direction is the same).
            let largest = values.reduce(Float(0)) { max($0, abs($1)) }
            for i in values.indices { values[i] = values[i] / largest }
            n = norm(UnsafeBufferPointer(values))
        }
        let factor = limit / n
        for i in values.indices { values[i] = values[i] * factor }
        return true
    }

    /// A wrapped sum of encoded words back to reals.
    public func decode(_ words: [UInt32]) -> [Double] {
        words.map { Double(Int32(bitPattern: $0)) / scale }
    }
}
