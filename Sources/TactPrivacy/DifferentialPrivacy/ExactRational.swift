/// A non-negative rational number n/d, the exact parameter the samplers take (never a Float, whose
/// rounding is what makes textbook floating-point noise leak).
public struct ExactRational: Sendable, Equatable, CustomStringConvertible {
    public let numerator: UInt64
    public let denominator: UInt64

    /// n/d with d > 0, reduced.
    public init(_ numerator: UInt64, _ denominator: UInt64 = 1) {
        precondition(denominator > 0, "a rational needs a positive denominator")
        let g = Self.gcd(numerator, denominator)
        self.numerator = numerator / g
        self.denominator = denominator / g
    }

    /// The closest rational with denominator `resolution` to a non-negative finite `value`: how a
    /// configuration value (say ε = 0.5) becomes an exact parameter. Nil if it is negative, not finite,
    /// or too large to represent.
    public init?(approximating value: Double, resolution: UInt64 = 1 << 20) {
        guard value.isFinite, value >= 0, value * Double(resolution) < 9.0e18 else { return nil }
        self.init(UInt64((value * Double(resolution)).rounded()), resolution)
    }

    /// The smallest rational with a power-of-two denominator (at most 2²⁰) that is ≥ `value` and whose
    /// numerator is below `limit`: how a noise scale or variance computed in floating point becomes an
    /// exact parameter without ever shrinking (a larger scale only adds privacy). Nil if `value` is not
    /// positive and finite or does not fit below `limit`.
    public init?(atLeast value: Double, numeratorBelow limit: UInt64) {
        guard value.isFinite, value > 0, value < Double(limit) - 1 else { return nil }
        var resolution: UInt64 = 1 << 20
        while resolution > 1, (value * Double(resolution)).rounded(.up) >= Double(limit) { resolution >>= 1 }
        self.init(UInt64((value * Double(resolution)).rounded(.up)), resolution)
    }

    public var doubleValue: Double { Double(numerator) / Double(denominator) }
    public var description: String { "\(numerator)/\(denominator)" }

    static func gcd(_ a: UInt64, _ b: UInt64) -> UInt64 {
        var (a, b) = (a, b)
        while b != 0 { (a, b) = (b, a % b) }
        return a == 0 ? 1 : a
    }
}
