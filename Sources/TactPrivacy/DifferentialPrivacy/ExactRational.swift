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

    public var doubleValue: Double { Double(numerator) / Double(denominator) }
    public var description: String { "\(numerator)/\(denominator)" }

    static func gcd(_ a: UInt64, _ b: UInt64) -> UInt64 {
        var (a, b) = (a, b)
        while b != 0 { (a, b) = (b, a % b) }
        return a == 0 ? 1 : a
    }
}
