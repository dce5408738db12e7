import Crypto

/// The secret behind one private release's per-person random choices, such as which c items a person
/// over the contribution bound contributes (`ContributionBound.sample`). Each person's choices come
/// from their own ChaCha20 stream, keyed by HMAC-SHA256(release key, label ‖ that person's identity),
/// so they depend on nothing but the person and the key: not on row order, and not on anyone else.
/// Adding or removing one person therefore changes no one else's choices, which is what a
/// contribution bound's sensitivity assumes.
///
/// Make a fresh key for every release (`ContributionKey()`). A seeded key (`init(seed:)`) repeats its
/// choices, for tests and evaluations only.
public struct ContributionKey: Sendable {
    private let key: SymmetricKey
    /// Separates these streams from anything else keyed with the same secret.
    static let label = Array("tact.contribution-bound.v1\u{0}".utf8)

    /// A fresh 256-bit key from the system's secure generator.
    public init() { key = SymmetricKey(size: .bits256) }

    /// A key of 32 bytes or more.
    public init(bytes: [UInt8]) {
        precondition(bytes.count >= 32, "a contribution key has at least 32 bytes")
        key = SymmetricKey(data: bytes)
    }

    /// A key expanded from a 64-bit seed: repeatable choices for tests and evaluations. Never for a release.
    public init(seed: UInt64) {
        var expand = ChaCha20Generator(seed: seed ^ 0x436F_6E74_7269_6275)  // "Contribu"
        key = SymmetricKey(data: expand.nextBytes(32))
    }

    /// The generator of one person's choices. `identity` names the person and nothing else (their
    /// pseudonym, or, as `ContributionBound` uses it, their own row).
    public func generator(for identity: [UInt8]) -> ChaCha20Generator {
        var mac = HMAC<SHA256>(key: key)
        mac.update(data: Self.label)
        mac.update(data: identity)
        return ChaCha20Generator(key: Array(mac.finalize()))
    }
}
