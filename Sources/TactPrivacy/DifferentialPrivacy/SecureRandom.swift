/// The generator differential-privacy noise is drawn from in production: a ChaCha20 keystream
/// (`ChaCha20Generator`) keyed with 256 bits from the operating system's secure generator (`getrandom`
/// on Linux, `arc4random` on Apple platforms). Noise from a predictable generator protects nothing:
/// whoever can predict it can subtract it. Tests pass a seeded generator instead, to be repeatable.
///
/// Make one per release (`var g = SecureRandom()`), and never copy one that is in use: a copy repeats
/// the same keystream, so two releases would carry the same noise.
public struct SecureRandom: RandomNumberGenerator, Sendable {
    private var stream = ChaCha20Generator()

    public init() {}

    public mutating func next() -> UInt64 { stream.next() }
}
