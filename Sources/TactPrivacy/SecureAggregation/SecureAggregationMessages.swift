import Foundation

/// What a device publishes to join a secure-aggregation round: two X25519 public keys, one for the
/// channel its seed shares travel on, one for agreeing pairwise masks (Bonawitz et al. 2017, round 0).
public struct AdvertisedKeys: Sendable, Equatable, Codable {
    public var id: UInt32
    public var channelKey: Data
    public var maskKey: Data
    public init(id: UInt32, channelKey: Data, maskKey: Data) {
        self.id = id
        self.channelKey = channelKey
        self.maskKey = maskKey
    }
}

/// The server's answer to round 0 for one device: the keys of the devices it pairs masks with and
/// the number of their shares that must survive to unmask it.
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
        }
    }
}
