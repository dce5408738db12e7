import Crypto
import Foundation

/// One device's side of a secure-aggregation round (Bonawitz et al. 2017, semi-honest server):
///
/// 0. `advertise()`: two fresh X25519 public keys.
/// 1. `shareKeys(_:)`: a fresh self-mask seed; it and the mask private key are Shamir-shared among the
///    neighbors, each share encrypted to its holder.
/// 2. `maskedInput(_:shares:)`: the input plus the self mask plus one pairwise mask per neighbor whose
///    shares arrived (those masks cancel in the sum).
/// 3. `unmask(survivors:)`: for each neighbor, the seed share if its input arrived, the key share if
///    not. Never both, so the server never learns a single device's input.
///
/// Keys live only for one round: a new round makes a new client.
public struct SecureAggregationClient {
    public private(set) var id: UInt32
    public let round: UInt64
    private let channelKey = Curve25519.KeyAgreement.PrivateKey()
    private let maskKey = Curve25519.KeyAgreement.PrivateKey()
    private var neighborhood: Neighborhood?
    /// Shares held for each neighbor: (its mask-key share, its seed share).
    private var held: [UInt32: (key: ShamirSecretSharing.Share, seed: ShamirSecretSharing.Share)] = [:]
    private var maskedWith: Set<UInt32> = []
    private var selfSeed: [UInt8] = []
    /// Each step once: a second masked input would leak the difference of two inputs, and a second
    /// unmasking answer could hand out both shares of a neighbor.
    private var sentInput = false, answered = false

    public init(id: UInt32, round: UInt64) {
        precondition(id > 0, "device ids in a round start at 1 (they are Shamir x-coordinates)")
        self.id = id
        self.round = round
    }

    public func advertise() -> AdvertisedKeys {
        AdvertisedKeys(id: id, channelKey: channelKey.publicKey.rawRepresentation, maskKey: maskKey.publicKey.rawRepresentation)
    }

    /// Takes the id a server assigned when it received the keys (over HTTP the server numbers devices
    /// as they join). Only before `shareKeys`.
    public mutating func assign(id: UInt32) {
        precondition(neighborhood == nil && id > 0, "an id is assigned once, before sharing keys")
        self.id = id
    }

    /// Shares of this device's secrets for each neighbor, encrypted to it. Draws the self-mask seed
    /// from `generator` (a cryptographically secure one: `SecureRandom` unless testing).
    public mutating func shareKeys(_ neighborhood: Neighborhood, using generator: inout some RandomNumberGenerator) throws -> [EncryptedShare] {
        self.neighborhood = neighborhood
        selfSeed = (0..<4).flatMap { _ in withUnsafeBytes(of: generator.next().littleEndian) { Array($0) } }
        let xs = neighborhood.neighbors.map { UInt64($0.id) }
        let keyShares = try ShamirSecretSharing.share(Array(maskKey.rawRepresentation), threshold: neighborhood.threshold, xs: xs, using: &generator)
        let seedShares = try ShamirSecretSharing.share(selfSeed, threshold: neighborhood.threshold, xs: xs, using: &generator)
        return try neighborhood.neighbors.indices.map { n in
            let peer = neighborhood.neighbors[n]
            let key = try PairwiseMask.channelKey(privateKey: channelKey, peerKey: peer.channelKey, round: round, id, peer.id)
            let plaintext = ShareEnvelope(from: id, to: peer.id, key: keyShares[n], seed: seedShares[n]).encoded()
            let sealed = try AES.GCM.seal(plaintext, using: key, authenticating: ShareEnvelope.header(from: id, to: peer.id))
            return EncryptedShare(from: id, to: peer.id, ciphertext: sealed.combined!)
        }
    }

    /// The masked input. `shares` are the ciphertexts addressed to this device by the neighbors that
    /// completed step 1: exactly those are masked with.
    public mutating func maskedInput(_ words: [UInt32], shares: [EncryptedShare]) throws -> MaskedInput {
        guard let neighborhood else { throw SecureAggregationError.phase("shareKeys must come before maskedInput") }
        guard !sentInput else { throw SecureAggregationError.phase("device \(id) already sent its masked input in this round") }
        sentInput = true
        let byID = Dictionary(neighborhood.neighbors.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for share in shares where share.to == id {
            guard let peer = byID[share.from] else { continue }
            let key = try PairwiseMask.channelKey(privateKey: channelKey, peerKey: peer.channelKey, round: round, id, peer.id)
            guard let box = try? AES.GCM.SealedBox(combined: share.ciphertext),
                  let plaintext = try? AES.GCM.open(box, using: key, authenticating: ShareEnvelope.header(from: share.from, to: id)),
                  let envelope = ShareEnvelope(decoding: plaintext), envelope.from == share.from, envelope.to == id else {
                throw SecureAggregationError.undecryptableShare(from: share.from)
            }
            held[share.from] = (envelope.key, envelope.seed)
        }
        var masked = words
        MaskStream.apply(seed: selfSeed, to: &masked)
        for peer in held.keys.sorted() {
            let seed = try PairwiseMask.maskSeed(privateKey: maskKey, peerKey: byID[peer]!.maskKey, round: round, id, peer)
            PairwiseMask.apply(seed: seed, owner: id, peer: peer, to: &masked)
        }
        maskedWith = Set(held.keys)
        return MaskedInput(id: id, words: masked)
    }

    /// Shares that let the server remove the masks: seed shares of neighbors in `survivors` (their
    /// inputs arrived), key shares of the others. Answers once; refuses when fewer of its share
    /// holders than the threshold survive (a sum over too few would reveal too much).
    public mutating func unmask(survivors: Set<UInt32>) throws -> UnmaskResponse {
        guard let neighborhood else { throw SecureAggregationError.phase("unmask before shareKeys") }
        guard !answered else { throw SecureAggregationError.phase("device \(id) already answered the unmasking of this round") }
        let alive = maskedWith.intersection(survivors).count
        guard alive >= neighborhood.threshold else { throw SecureAggregationError.tooFewSurvivors(have: alive, need: neighborhood.threshold) }
        answered = true
        var seeds: [UInt32: ShamirSecretSharing.Share] = [:], keys: [UInt32: ShamirSecretSharing.Share] = [:]
        for (peer, shares) in held {
            if survivors.contains(peer) { seeds[peer] = shares.seed } else { keys[peer] = shares.key }
        }
        return UnmaskResponse(id: id, seedShares: seeds, keyShares: keys)
    }
}

/// The plaintext of an encrypted share: sender, recipient and the two Shamir shares, in a fixed
/// little-endian layout.
struct ShareEnvelope {
    var from: UInt32, to: UInt32
    var key: ShamirSecretSharing.Share, seed: ShamirSecretSharing.Share

    static func header(from: UInt32, to: UInt32) -> Data {
        var d = Data()
        withUnsafeBytes(of: from.littleEndian) { d.append(contentsOf: $0) }
        withUnsafeBytes(of: to.littleEndian) { d.append(contentsOf: $0) }
        return d
    }

    func encoded() -> Data {
        var d = Self.header(from: from, to: to)
        for share in [key, seed] {
            withUnsafeBytes(of: share.x.littleEndian) { d.append(contentsOf: $0) }
            withUnsafeBytes(of: UInt32(share.values.count).littleEndian) { d.append(contentsOf: $0) }
            for v in share.values { withUnsafeBytes(of: v.littleEndian) { d.append(contentsOf: $0) } }
        }
        return d
    }

    init(from: UInt32, to: UInt32, key: ShamirSecretSharing.Share, seed: ShamirSecretSharing.Share) {
        self.from = from
        self.to = to
        self.key = key
        self.seed = seed
    }

    init?(decoding data: Data) {
        let bytes = [UInt8](data)
        var i = 0
        func read<T: FixedWidthInteger>(_: T.Type) -> T? {
            guard i + MemoryLayout<T>.size <= bytes.count else { return nil }
            var v: T = 0
            for k in 0..<MemoryLayout<T>.size { v |= T(bytes[i + k]) << (8 * k) }
            i += MemoryLayout<T>.size
            return v
        }
        func share() -> ShamirSecretSharing.Share? {
            guard let x = read(UInt64.self), let n = read(UInt32.self), n <= 64 else { return nil }
            var values: [UInt64] = []
            for _ in 0..<n { guard let v = read(UInt64.self) else { return nil }; values.append(v) }
            return ShamirSecretSharing.Share(x: x, values: values)
        }
        guard let from = read(UInt32.self), let to = read(UInt32.self), let key = share(), let seed = share(), i == bytes.count else { return nil }
        self.init(from: from, to: to, key: key, seed: seed)
    }
}
