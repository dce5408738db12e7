/// The generator differential-privacy noise is drawn from in production: the operating system's
/// cryptographically secure generator (`getrandom` on Linux, `arc4random` on Apple platforms, through
/// Swift's `SystemRandomNumberGenerator`). Noise from a predictable generator protects nothing:
/// whoever can predict it can subtract it. Tests pass a seeded generator instead, to be repeatable.
public struct SecureRandom: RandomNumberGenerator, Sendable {
    private var system = SystemRandomNumberGenerator()

    public init() {}

    public mutating func next() -> UInt64 { system.next() }
}
