import Crypto
import Foundation

/// What a device publishes to join a secure-aggregation round: two X25519 public keys, one for the
/// channel its seed shares travel on, one for agreeing pairwise masks (Bonawitz et al. 2017, round 0),
/// and, for the malicious-server variant, the device's long-lived Ed25519 public key with its
/// signature over the round and the two keys. The signing key is the device's identity: the server
/// cannot substitute the keys of a device it cannot sign for, and the survivor set each device
/// signs in the consistency step (`SurvivorSignature`) is checked against it.
public struct AdvertisedKeys: Sendable, Equatable, Codable {
    public var id: UInt32
    public var channelKey: Data
    public var maskKey: Data
    /// Ed25519 public key (32 bytes).
    public var signingKey: Data
    /// Ed25519 signature of `AdvertisedKeys.signedBytes(round:channelKey:maskKey:)`.
    public var signature: Data
    public init(id: UInt32, channelKey: Data, maskKey: Data, signingKey: Data = Data(), signature: Data = Data()) {
        self.id = id
        self.channelKey = channelKey
        self.maskKey = maskKey
        self.signingKey = signingKey
        self.signature = signature
    }

    /// What a device signs when it advertises its keys: a label, the round and both public keys.
    public static func signedBytes(round: UInt64, channelKey: Data, maskKey: Data) -> Data {
        var d = Data("tact secagg keys v1".utf8)
        withUnsafeBytes(of: round.littleEndian) { d.append(contentsOf: $0) }
        d.append(channelKey)
        d.append(maskKey)
        return d
    }

    /// Whether the signature is the signing key's over these keys for `round`.
    public func verify(round: UInt64) -> Bool {
        guard channelKey.count == 32, maskKey.count == 32, let key = try? Curve25519.Signing.PublicKey(rawRepresentation: signingKey) else { return false }
        return key.isValidSignature(signature, for: Self.signedBytes(round: round, channelKey: channelKey, maskKey: maskKey))
    }
}

/// A device's signature over the survivor set (U3) the server told it, in the consistency step of
/// Bonawitz et al. 2017 (§4.4, malicious server). A device reveals shares only after it holds at least
/// its threshold of such signatures from its neighbors, all over the set it was told.
public struct SurvivorSignature: Sendable, Equatable, Codable {
    public var id: UInt32
    public var signature: Data
    public init(id: UInt32, signature: Data) {
        self.id = id
        self.signature = signature
    }

    /// What is signed: a label, the round, the signer's own keys of this round (fresh each round, so
    /// a signature cannot be replayed into a later attempt that reuses the round number), and the
    /// survivor ids in increasing order.
    public static func signedBytes(round: UInt64, signer: AdvertisedKeys, survivors: Set<UInt32>) -> Data {
        var d = Data("tact secagg survivors v1".utf8)
        withUnsafeBytes(of: round.littleEndian) { d.append(contentsOf: $0) }
        d.append(signer.channelKey)
        d.append(signer.maskKey)
        withUnsafeBytes(of: UInt32(survivors.count).littleEndian) { d.append(contentsOf: $0) }
        for id in survivors.sorted() { withUnsafeBytes(of: id.littleEndian) { d.append(contentsOf: $0) } }
        return d
    }

    /// Whether this is the signature of `signer` (its signing key, over its keys of this round) over
    /// `survivors` for `round`.
    public func verify(signer: AdvertisedKeys, round: UInt64, survivors: Set<UInt32>) -> Bool {
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: signer.signingKey) else { return false }
        return key.isValidSignature(signature, for: Self.signedBytes(round: round, signer: signer, survivors: survivors))
    }
}

/// The commitment a device publishes to its self-mask seed when it sends its shares: SHA-256 of a
/// label, the round, its id and the seed. The seed is 32 fresh random bytes, so the commitment says
/// nothing about it; after unmasking the server checks the seed it rebuilt from shares against it, so
/// corrupted shares are detected instead of silently corrupting the sum.
public enum SeedCommitment {
    public static func make(round: UInt64, id: UInt32, seed: [UInt8]) -> Data {
        var d = Data("tact secagg seed v1".utf8)
        withUnsafeBytes(of: round.littleEndian) { d.append(contentsOf: $0) }
        withUnsafeBytes(of: id.littleEndian) { d.append(contentsOf: $0) }
        d.append(contentsOf: seed)
        return Data(SHA256.hash(data: d))
    }
}

/// The server's answer to round 0 for one device: the keys of the devices it pairs masks with and
/// the number of their shares that must survive to unmask it. A device does not trust `threshold`: it
/// computes `Neighborhood.threshold(holders:)` of its own neighbor count and aborts when the server's
/// differs (see `SecureAggregationClient.shareKeys`).
public struct Neighborhood: Sendable, Equatable, Codable {
    public var neighbors: [AdvertisedKeys]
    public var threshold: Int
    public init(neighbors: [AdvertisedKeys], threshold: Int) {
        self.neighbors = neighbors
        self.threshold = threshold
    }

    /// The threshold for `count` share holders (a device's neighbors): a majority of them, and low
    /// enough that a third of the round (the holders and the device itself) may drop out.
    public static func threshold(holders count: Int) -> Int {
        max(count / 2 + 1, count - (count + 1) / 3)
    }
}

/// A device's Shamir shares for one neighbor, encrypted (AES-GCM) under their channel key; the
/// server routes it without being able to read it.
public struct EncryptedShare: Sendable, Equatable, Codable {
    public var from: UInt32
    public var to: UInt32
    public var ciphertext: Data
    public init(from: UInt32, to: UInt32, ciphertext: Data) {
        self.from = from
        self.to = to
        self.ciphertext = ciphertext
    }
}

/// A device's input in Z_2^32, plus its self mask and its pairwise masks.
public struct MaskedInput: Sendable, Equatable, Codable {
    public var id: UInt32
    public var words: [UInt32]
    public init(id: UInt32, words: [UInt32]) {
        self.id = id
        self.words = words
    }
}

/// A surviving device's help with unmasking: for each neighbor, the share of its self-mask seed if
/// the neighbor's input arrived, otherwise the share of its mask key, never both.
public struct UnmaskResponse: Sendable, Equatable, Codable {
    public var id: UInt32
    public var seedShares: [UInt32: ShamirSecretSharing.Share]
    public var keyShares: [UInt32: ShamirSecretSharing.Share]
    public init(id: UInt32, seedShares: [UInt32: ShamirSecretSharing.Share], keyShares: [UInt32: ShamirSecretSharing.Share]) {
        self.id = id
        self.seedShares = seedShares
        self.keyShares = keyShares
    }
}

public enum SecureAggregationError: Error, Equatable, CustomStringConvertible {
    case badKey(UInt32)
    case undecryptableShare(from: UInt32)
    case wrongLength(id: UInt32, expected: Int, got: Int)
    case tooFewSurvivors(have: Int, need: Int)
    case phase(String)
    case unrecoverable(UInt32, String)
    case malformed(UInt32, String)
    /// Fewer distinct owners (API keys) than the round needs: devices of one owner count once.
    case tooFewOwners(have: Int, need: Int)
    /// The devices of one owner would hold `held` of device `device`'s shares, its threshold or more.
    case concentrated(device: UInt32, held: Int, threshold: Int)
    /// A device refuses the neighborhood the server sent (a threshold it did not compute, too few
    /// neighbors, a key not signed by its signing key, a key shown twice): it aborts the round.
    case untrustedNeighborhood(String)
    /// Fewer of a device's neighbors sent it shares than its threshold: it aborts before masking.
    case tooFewShares(have: Int, need: Int)
    /// The consistency step failed: a signature not over the survivor set this device was told, or
    /// fewer valid signatures from its neighbors than its threshold. The device reveals nothing.
    case consistency(String)
    /// A secret rebuilt from shares does not match what its device committed to (its seed commitment
    /// or its public mask key), or the shares do not lie on one polynomial: some share was corrupted.
    case corruptedShares(UInt32, String)

    public var description: String {
        switch self {
        case .badKey(let id): "device \(id) advertised a key that is not a 32-byte X25519 public key"
        case .undecryptableShare(let id): "the share from device \(id) failed authentication: it was altered or misrouted"
        case .wrongLength(let id, let e, let g): "device \(id) sent \(g) words; this round aggregates vectors of \(e)"
        case .tooFewSurvivors(let have, let need): "only \(have) devices remain; unmasking needs \(need): the round is abandoned and nothing is revealed"
        case .phase(let message): message
        case .unrecoverable(let id, let why): "device \(id) cannot be unmasked: \(why)"
        case .malformed(let id, let why): "device \(id) sent a malformed message: \(why)"
        case .tooFewOwners(let have, let need):
            "the devices in the sum belong to \(have) distinct keys; a sum needs inputs from \(need) (devices of one key count once): the round is abandoned and nothing is revealed"
        case .concentrated(let device, let held, let threshold):
            "the devices of one key would hold \(held) of device \(device)'s shares (its threshold is \(threshold)), enough to unmask it: the round is abandoned and nothing is revealed; more distinct keys must join"
        case .untrustedNeighborhood(let why): "the device refuses its neighborhood and aborts the round: \(why)"
        case .tooFewShares(let have, let need):
            "only \(have) neighbors sent this device shares; it needs \(need) (its own threshold) before it masks: it aborts the round"
        case .consistency(let why): "the consistency check failed, so the device reveals no share: \(why)"
        case .corruptedShares(let id, let why): "the shares of device \(id) are corrupted: \(why); the round is abandoned and no sum is published"
        }
    }
}
