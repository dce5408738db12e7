import Crypto
import Foundation

/// One device's side of a secure-aggregation round (Bonawitz et al. 2017, with the consistency check
/// of its malicious-server variant, §4.4):
///
/// 0. `advertise()`: two fresh X25519 public keys, signed with the device's long-lived Ed25519 key.
/// 1. `shareKeys(_:using:)`: checks the neighborhood the server sent (every key signed by its signing
///    key, no key twice, at least `minimumNeighbors` neighbors) and computes the threshold t itself from
///    the neighbor count, aborting if the server announced another. Then a fresh self-mask seed; it and
///    the mask private key are Shamir-shared with threshold t among the neighbors, each share encrypted
///    to its holder; `seedCommitment` commits to the seed.
/// 2. `maskedInput(_:shares:)`: aborts unless at least t neighbors' shares arrived; otherwise the input
///    plus the self mask plus one pairwise mask per neighbor whose shares arrived.
/// 3. `consistencyCheck(survivors:)`: aborts unless at least t of the neighbors it masked with survived;
///    signs the survivor set it was told.
/// 4. `unmask(signatures:)`: reveals nothing unless at least t of its neighbors signed that same set and
///    no neighbor's signature is over another (the server equivocated); then, for each neighbor, the
///    seed share if it survived, the key share if not. Never both, and only once.
///
/// Every abort is final: a client that refused a step answers no later one. Keys (but the signing key)
/// live only for one round: a new round makes a new client.
public struct SecureAggregationClient {
    public private(set) var id: UInt32
    public let round: UInt64
    /// The fewest neighbors this device accepts: a smaller neighborhood would put its shares in too few
    /// hands (the threshold is a fixed function of the neighbor count, so it would be small too).
    public let minimumNeighbors: Int
    private let signingKey: Curve25519.Signing.PrivateKey
    private let channelKey = Curve25519.KeyAgreement.PrivateKey()
    private let maskKey = Curve25519.KeyAgreement.PrivateKey()
    private var neighborhood: Neighborhood?
    /// The threshold this device computed from its own neighborhood (never the server's word).
    public private(set) var threshold = 0
    /// Shares held for each neighbor: (its mask-key share, its seed share).
    private var held: [UInt32: (key: ShamirSecretSharing.Share, seed: ShamirSecretSharing.Share)] = [:]
    private var maskedWith: Set<UInt32> = []
    private var selfSeed: [UInt8] = []
    /// SHA-256 commitment to the self-mask seed (`SeedCommitment`), sent with the shares.
    public private(set) var seedCommitment = Data()
    /// The survivor set (U3) this device signed.
    private var signedSurvivors: Set<UInt32>?
    /// Each step once: a second masked input would leak the difference of two inputs, and a second
    /// unmasking answer could hand out both shares of a neighbor. `aborted` ends the round for good.
    private var sentInput = false, answered = false, aborted = false

    /// `signingKey` is the device's long-lived identity (keep it across rounds, e.g. in the keychain);
    /// its public half is how peers know this device (see docs/federated.md, "Signing keys").
    public init(id: UInt32, round: UInt64, signingKey: Curve25519.Signing.PrivateKey = .init(), minimumNeighbors: Int = 2) {
        precondition(id > 0, "device ids in a round start at 1 (they are Shamir x-coordinates)")
        self.id = id
        self.round = round
        self.signingKey = signingKey
        self.minimumNeighbors = max(2, minimumNeighbors)
    }

    public func advertise() -> AdvertisedKeys {
        let channel = channelKey.publicKey.rawRepresentation, mask = maskKey.publicKey.rawRepresentation
        // Ed25519 signing of a short message does not fail.
        let signature = (try? signingKey.signature(for: AdvertisedKeys.signedBytes(round: round, channelKey: channel, maskKey: mask))) ?? Data()
        return AdvertisedKeys(id: id, channelKey: channel, maskKey: mask, signingKey: signingKey.publicKey.rawRepresentation, signature: signature)
    }

    /// Takes the id a server assigned when it received the keys (over HTTP the server numbers devices
    /// as they join). Only before `shareKeys`.
    public mutating func assign(id: UInt32) {
        precondition(neighborhood == nil && id > 0, "an id is assigned once, before sharing keys")
        self.id = id
    }

    private mutating func abort(_ error: SecureAggregationError) -> SecureAggregationError {
        aborted = true
        return error
    }

    /// Shares of this device's secrets for each neighbor, encrypted to it. Draws the self-mask seed
    /// from `generator` (a cryptographically secure one: `SecureRandom` unless testing).
    /// `isRegistered` may check each neighbor's signing key against a directory the app trusts more
    /// than the server (see docs/federated.md); by default the signed keys the server relays are taken.
    public mutating func shareKeys(
        _ neighborhood: Neighborhood, using generator: inout some RandomNumberGenerator,
        isRegistered: (AdvertisedKeys) -> Bool = { _ in true }
    ) throws -> [EncryptedShare] {
        guard !aborted, self.neighborhood == nil else { throw SecureAggregationError.phase("device \(id) already shared its keys or aborted this round") }
        let peers = neighborhood.neighbors
        let own = signingKey.publicKey.rawRepresentation
        guard peers.count >= minimumNeighbors else {
            throw abort(.untrustedNeighborhood("\(peers.count) neighbors, fewer than the \(minimumNeighbors) this device accepts"))
        }
        guard Set(peers.map(\.id)).count == peers.count, !peers.contains(where: { $0.id == id || $0.id == 0 }) else {
            throw abort(.untrustedNeighborhood("a neighbor id is repeated, zero or this device's own"))
        }
        guard Set(peers.map(\.signingKey)).count == peers.count, !peers.contains(where: { $0.signingKey == own }) else {
            throw abort(.untrustedNeighborhood("one signing key stands for two devices"))
        }
        for peer in peers {
            guard peer.verify(round: round) else {
                throw abort(.untrustedNeighborhood("device \(peer.id)'s keys are not signed by its signing key for this round"))
            }
            guard isRegistered(peer) else { throw abort(.untrustedNeighborhood("device \(peer.id)'s signing key is not registered")) }
        }
        // The threshold is this device's own: a fixed function of how many hold its shares.
        let t = Neighborhood.threshold(holders: peers.count)
        guard neighborhood.threshold == t else {
            throw abort(.untrustedNeighborhood("the server announced a threshold of \(neighborhood.threshold); \(peers.count) neighbors make it \(t)"))
        }
        self.neighborhood = neighborhood
        threshold = t
        selfSeed = (0..<4).flatMap { _ in withUnsafeBytes(of: generator.next().littleEndian) { Array($0) } }
        seedCommitment = SeedCommitment.make(round: round, id: id, seed: selfSeed)
        let xs = peers.map { UInt64($0.id) }
        let keyShares = try ShamirSecretSharing.share(Array(maskKey.rawRepresentation), threshold: t, xs: xs, using: &generator)
        let seedShares = try ShamirSecretSharing.share(selfSeed, threshold: t, xs: xs, using: &generator)
        return try peers.indices.map { n in
            let peer = peers[n]
            let key = try PairwiseMask.channelKey(privateKey: channelKey, peerKey: peer.channelKey, round: round, id, peer.id)
            let plaintext = ShareEnvelope(from: id, to: peer.id, key: keyShares[n], seed: seedShares[n]).encoded()
            let sealed = try AES.GCM.seal(plaintext, using: key, authenticating: ShareEnvelope.header(from: id, to: peer.id))
            return EncryptedShare(from: id, to: peer.id, ciphertext: sealed.combined!)
        }
    }

    /// The masked input. `shares` are the ciphertexts addressed to this device by the neighbors that
    /// completed step 1: exactly those are masked with. Aborts, sending nothing, when fewer than its
    /// threshold of neighbors sent shares: otherwise a server that withheld them could leave the input
    /// hidden by the self mask alone and then rebuild that mask from the neighbors' seed shares.
    public mutating func maskedInput(_ words: [UInt32], shares: [EncryptedShare]) throws -> MaskedInput {
        guard let neighborhood else { throw SecureAggregationError.phase("shareKeys must come before maskedInput") }
        guard !aborted else { throw SecureAggregationError.phase("device \(id) aborted this round") }
        guard !sentInput else { throw SecureAggregationError.phase("device \(id) already sent its masked input in this round") }
        sentInput = true
        let byID = Dictionary(neighborhood.neighbors.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for share in shares where share.to == id {
            guard let peer = byID[share.from] else { continue }
            let key = try PairwiseMask.channelKey(privateKey: channelKey, peerKey: peer.channelKey, round: round, id, peer.id)
            guard let box = try? AES.GCM.SealedBox(combined: share.ciphertext),
                let plaintext = try? AES.GCM.open(box, using: key, authenticating: ShareEnvelope.header(from: share.from, to: id)),
                let envelope = ShareEnvelope(decoding: plaintext), envelope.from == share.from, envelope.to == id
            else {
                throw abort(.undecryptableShare(from: share.from))
            }
            held[share.from] = (envelope.key, envelope.seed)
        }
        guard held.count >= threshold else { throw abort(.tooFewShares(have: held.count, need: threshold)) }
        var masked = words
        MaskStream.apply(seed: selfSeed, to: &masked)
        for peer in held.keys.sorted() {
            let seed = try PairwiseMask.maskSeed(privateKey: maskKey, peerKey: byID[peer]!.maskKey, round: round, id, peer)
            PairwiseMask.apply(seed: seed, owner: id, peer: peer, to: &masked)
        }
        maskedWith = Set(held.keys)
        return MaskedInput(id: id, words: masked)
    }

    /// The consistency step: signs the survivor set (U3) the server announced, after checking that this
    /// device is in it and that at least its threshold of the neighbors it masked with are. Once.
    public mutating func consistencyCheck(survivors: Set<UInt32>) throws -> SurvivorSignature {
        guard sentInput, !aborted else { throw SecureAggregationError.phase("device \(id) sent no masked input in this round, or aborted it") }
        guard signedSurvivors == nil, !answered else { throw SecureAggregationError.phase("device \(id) already signed the survivors of this round") }
        guard survivors.contains(id) else { throw abort(.consistency("the survivor set leaves out this device, whose input was sent")) }
        let alive = maskedWith.intersection(survivors).count
        guard alive >= threshold else { throw abort(.tooFewSurvivors(have: alive, need: threshold)) }
        signedSurvivors = survivors
        let signature = try signingKey.signature(for: SurvivorSignature.signedBytes(round: round, signer: advertise(), survivors: survivors))
        return SurvivorSignature(id: id, signature: signature)
    }

    /// Shares that let the server remove the masks, after the consistency check: at least this
    /// device's threshold of its neighbors (survivors all) must have signed the survivor set it signed,
    /// and every neighbor's signature among `signatures` must be over that set; otherwise the server
    /// told devices different survivor sets and the device aborts, revealing nothing. Then: seed
    /// shares of the neighbors that survived, key shares of the others. Answers once.
    public mutating func unmask(signatures: [SurvivorSignature]) throws -> UnmaskResponse {
        guard let neighborhood, let survivors = signedSurvivors else { throw SecureAggregationError.phase("unmask before the consistency check") }
        guard !aborted else { throw SecureAggregationError.phase("device \(id) aborted this round") }
        guard !answered else { throw SecureAggregationError.phase("device \(id) already answered the unmasking of this round") }
        answered = true
        let byID = Dictionary(neighborhood.neighbors.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var signers = Set<UInt32>()
        for signature in signatures {
            // Signatures of devices this device does not neighbor cannot be checked and do not count.
            guard let peer = byID[signature.id] else { continue }
            guard survivors.contains(peer.id) else {
                throw abort(.consistency("device \(peer.id) signed a survivor set though the set this device was told leaves it out"))
            }
            guard signature.verify(signer: peer, round: round, survivors: survivors) else {
                throw abort(
                    .consistency("device \(peer.id)'s signature is not over the survivor set this device was told: the server told devices different sets"))
            }
            signers.insert(peer.id)
        }
        guard signers.count >= threshold else {
            throw abort(.consistency("\(signers.count) of this device's neighbors signed the survivor set; it needs \(threshold)"))
        }
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
