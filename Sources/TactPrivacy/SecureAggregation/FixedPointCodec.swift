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

    /// A wrapped sum of encoded words back to reals.
    public func decode(_ words: [UInt32]) -> [Double] {
        words.map { Double(Int32(bitPattern: $0)) / scale }
    }
}
