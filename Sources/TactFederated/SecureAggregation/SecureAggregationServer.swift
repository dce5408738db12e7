import Crypto
import Foundation
import TactPrivacy

/// The server's side of a secure-aggregation round: it collects signed keys, routes encrypted shares
/// and seed commitments, collects masked inputs, announces the survivors and forwards their
/// signatures over that set (the consistency step of Bonawitz et al. §4.4), asks the survivors for the
/// shares that remove the masks, and returns only the sum. Devices may drop out after any step; the sum
/// of the inputs that arrived is still recovered as long as, for every device, at least its threshold
/// of neighbors answer the last step. Every secret rebuilt from shares is checked against what its
/// device committed to (its seed commitment, its public mask key) and every share beyond the threshold
/// against the polynomial: corrupted shares abandon the round instead of corrupting the sum.
public struct SecureAggregationServer {
    public let round: UInt64
    public let vectorLength: Int
    public let graph: MaskGraph
    /// Below this many distinct owners a round is abandoned (a sum over too few reveals too much).
    /// Devices of one owner count once: see `MaskPlan`.
    public let minimumDevices: Int

    private(set) var advertised: [UInt32: AdvertisedKeys] = [:]
    private var signingKeys: Set<Data> = []
    /// Who holds each device's credentials (its own id when not said).
    public private(set) var owners: [UInt32: String] = [:]
    private(set) var graphNeighbors: [UInt32: [UInt32]] = [:]
    private(set) var thresholds: [UInt32: Int] = [:]
    /// Devices that sent their shares (U2), and the shares waiting for each recipient.
    private(set) var shared: Set<UInt32> = []
    private var mailbox: [UInt32: [EncryptedShare]] = [:]
    /// Each sharing device's commitment to its self-mask seed.
    private(set) var commitments: [UInt32: Data] = [:]
    private(set) var inputs: [UInt32: [UInt32]] = [:]
    /// The survivor set announced (U3), once step 2 is closed, and the signatures over it (U4).
    public private(set) var announced: Set<UInt32>?
    private(set) var signatures: [UInt32: SurvivorSignature] = [:]
    private var responses: [UInt32: UnmaskResponse] = [:]
    /// Holders whose unmasking shares were found off their device's polynomial in `aggregate` while the
    /// secret still verified (they are named so an operator can act; the sum was not affected).
    public private(set) var misbehaving: Set<UInt32> = []

    public init(round: UInt64, vectorLength: Int, graph: MaskGraph = .complete, minimumDevices: Int = 3) {
        self.round = round
        self.vectorLength = vectorLength
        self.graph = graph
        self.minimumDevices = minimumDevices
    }

    // Step 0
    /// A device's keys; `owner` names who holds its credentials (over HTTP, its API key), nil: the
    /// device alone.
    public mutating func receive(_ keys: AdvertisedKeys, owner: String? = nil) throws {
        guard graphNeighbors.isEmpty else { throw SecureAggregationError.phase("keys from device \(keys.id) arrived after the key step closed") }
        guard keys.channelKey.count == 32, keys.maskKey.count == 32 else { throw SecureAggregationError.badKey(keys.id) }
        // Keys not signed by the device's signing key would make every neighbor abort: refuse them here.
        guard keys.verify(round: round) else {
            throw SecureAggregationError.malformed(keys.id, "its keys are not signed by its signing key for round \(round)")
        }
        guard advertised[keys.id] == nil, !signingKeys.contains(keys.signingKey) else {
            throw SecureAggregationError.malformed(keys.id, "its id or signing key already joined this round (one signing key is one device)")
        }
        advertised[keys.id] = keys
        signingKeys.insert(keys.signingKey)
        owners[keys.id] = owner ?? "device \(keys.id)"
    }

    /// The plan that closes step 0 (see `MaskPlan.build`): pure, so it may run anywhere.
    public func plan(attempts: Int = 16) throws -> MaskPlan {
        try MaskPlan.build(owners: owners, graph: graph, minimumOwners: minimumDevices, attempts: attempts)
    }

    /// Closes step 0 with a plan built from this round's devices.
    public mutating func install(_ plan: MaskPlan) throws {
        guard graphNeighbors.isEmpty else { throw SecureAggregationError.phase("the key step is already closed") }
        guard plan.neighbors.count == advertised.count, plan.neighbors.keys.allSatisfy({ advertised[$0] != nil }) else {
            throw SecureAggregationError.phase("the plan was built for other devices than those that joined")
        }
        graphNeighbors = plan.neighbors
        thresholds = plan.thresholds
    }

    /// Device `id`'s neighbors (their public keys) and threshold, once step 0 is closed. Built on
    /// request: holding every neighborhood would copy each key once per neighbor.
    public func neighborhood(for id: UInt32) -> Neighborhood? {
        guard let peers = graphNeighbors[id], let t = thresholds[id] else { return nil }
        return Neighborhood(neighbors: peers.map { advertised[$0]! }, threshold: t)
    }

    /// Closes step 0: each device's neighbors (their public keys) and threshold.
    public mutating func neighborhoods() throws -> [UInt32: Neighborhood] {
        try install(try plan())
        var result: [UInt32: Neighborhood] = [:]
        for id in graphNeighbors.keys { result[id] = neighborhood(for: id) }
        return result
    }

    // Step 1
    public mutating func receive(shares: [EncryptedShare], from id: UInt32, seedCommitment: Data) throws {
        guard let peers = graphNeighbors[id] else { throw SecureAggregationError.phase("device \(id) is not in this round") }
        guard !shared.contains(id) else { throw SecureAggregationError.phase("device \(id) already sent its shares") }
        guard shares.count == peers.count, Set(shares.map(\.to)) == Set(peers), shares.allSatisfy({ $0.from == id }) else {
            throw SecureAggregationError.malformed(id, "it must send exactly one share to each of its \(peers.count) neighbors")
        }
        guard seedCommitment.count == 32 else { throw SecureAggregationError.malformed(id, "its seed commitment must be 32 bytes (SHA-256)") }
        shared.insert(id)
        commitments[id] = seedCommitment
        for share in shares { mailbox[share.to, default: []].append(share) }
    }

    /// Closes step 1: the shares addressed to `id` (only devices that completed it sent any).
    public func deliveries(for id: UInt32) -> [EncryptedShare] { mailbox[id] ?? [] }

    // Step 2
    public mutating func receive(_ input: MaskedInput) throws {
        guard shared.contains(input.id) else { throw SecureAggregationError.phase("device \(input.id) sent an input without sharing its keys") }
        guard inputs[input.id] == nil else { throw SecureAggregationError.phase("device \(input.id) already sent its input") }
        guard input.words.count == vectorLength else { throw SecureAggregationError.wrongLength(id: input.id, expected: vectorLength, got: input.words.count) }
        inputs[input.id] = input.words
    }

    /// Closes step 2: the devices whose inputs arrived (U3).
    public mutating func survivors() throws -> Set<UInt32> {
        if let announced { return announced }
        guard inputs.count >= minimumDevices else { throw SecureAggregationError.tooFewSurvivors(have: inputs.count, need: minimumDevices) }
        let distinct = Set(inputs.keys.map { owners[$0]! }).count
        guard distinct >= minimumDevices else { throw SecureAggregationError.tooFewOwners(have: distinct, need: minimumDevices) }
        announced = Set(inputs.keys)
        return announced!
    }

    // Step 3: consistency
    /// A survivor's signature over the announced set, checked against the signing key it advertised.
    public mutating func receive(_ signature: SurvivorSignature) throws {
        guard let announced, announced.contains(signature.id) else {
            throw SecureAggregationError.phase("device \(signature.id) signed survivors, but it is not one or they are not announced yet")
        }
        guard signatures[signature.id] == nil else { throw SecureAggregationError.phase("device \(signature.id) already signed the survivors") }
        guard signature.verify(signer: advertised[signature.id]!, round: round, survivors: announced) else {
            throw SecureAggregationError.malformed(signature.id, "its signature is not over the announced survivor set")
        }
        signatures[signature.id] = signature
    }

    /// Closes step 3: the devices that signed (U4). Below the minimum of distinct owners the round is
    /// abandoned (no device could reach its threshold of signatures anyway).
    public func signers() throws -> Set<UInt32> {
        let distinct = Set(signatures.keys.map { owners[$0]! }).count
        guard signatures.count >= minimumDevices, distinct >= minimumDevices else {
            throw SecureAggregationError.tooFewOwners(have: distinct, need: minimumDevices)
        }
        return Set(signatures.keys)
    }

    /// The signatures device `id` checks before it unmasks: those of its neighbors.
    public func signatures(for id: UInt32) -> [SurvivorSignature] {
        (graphNeighbors[id] ?? []).compactMap { signatures[$0] }
    }

    // Step 4
    public mutating func receive(_ response: UnmaskResponse) throws {
        guard inputs[response.id] != nil, signatures[response.id] != nil else {
            throw SecureAggregationError.phase("device \(response.id) answered unmasking without an input or without signing the survivors")
        }
        guard responses[response.id] == nil else { throw SecureAggregationError.phase("device \(response.id) already answered the unmasking") }
        // Each share must be this holder's (its x is the holder's id), of a 32-byte secret, in the field,
        // and for a neighbor: one bad device must not be able to break or bias the recovery.
        let peers = Set(graphNeighbors[response.id] ?? [])
        let chunks = (32 + ShamirSecretSharing.chunk - 1) / ShamirSecretSharing.chunk
        for (peer, share) in response.seedShares.map({ ($0, $1) }) + response.keyShares.map({ ($0, $1) }) {
            guard peers.contains(peer), share.x == UInt64(response.id), share.values.count == chunks, share.values.allSatisfy({ $0 < PrimeField61.p }) else {
                throw SecureAggregationError.malformed(response.id, "its share for device \(peer) is not a share it holds")
            }
        }
        guard Set(response.seedShares.keys).isDisjoint(with: response.keyShares.keys) else {
            throw SecureAggregationError.malformed(response.id, "it sent both kinds of share for one device")
        }
        let announced = announced ?? []
        guard response.seedShares.keys.allSatisfy(announced.contains), !response.keyShares.keys.contains(where: announced.contains) else {
            throw SecureAggregationError.malformed(response.id, "its shares do not follow the announced survivor set")
        }
        responses[response.id] = response
    }

    /// Removes every mask and returns the wrapped sum of the inputs that arrived, with which devices
    /// were summed. Each secret is rebuilt from its first threshold of shares and verified: a seed
    /// against its device's commitment, a mask key against its advertised public key. A secret that
    /// does not verify throws `corruptedShares` (the round is abandoned; no sum is returned). Shares
    /// beyond the threshold are checked against the polynomial; holders off it are named in
    /// `misbehaving`, and if the secret did not verify they are in the error.
    public mutating func aggregate() throws -> (sum: [UInt32], devices: [UInt32]) {
        let survivors = announced ?? Set(inputs.keys)
        var sum = [UInt32](repeating: 0, count: vectorLength)
        for words in inputs.values { for i in 0..<vectorLength { sum[i] &+= words[i] } }
        for u in shared.sorted() {
            let holders = graphNeighbors[u]!.filter { responses[$0] != nil }
            let t = thresholds[u]!
            if survivors.contains(u) {
                // Remove u's self mask.
                let shares = holders.compactMap { responses[$0]!.seedShares[u] }
                guard shares.count >= t else { throw SecureAggregationError.unrecoverable(u, "\(shares.count) of \(t) seed shares answered") }
                let commitment = commitments[u], round = round
                let (seed, off) = try Self.verified(u, shares: shares, threshold: t, what: "seed") { seed in
                    SeedCommitment.make(round: round, id: u, seed: seed) == commitment
                }
                misbehaving.formUnion(off)
                MaskStream.apply(seed: seed, to: &sum, subtract: true)
            } else {
                // u dropped after sharing: remove the masks its surviving neighbors added for it.
                let shares = holders.compactMap { responses[$0]!.keyShares[u] }
                guard shares.count >= t else { throw SecureAggregationError.unrecoverable(u, "\(shares.count) of \(t) key shares answered") }
                let advertisedKey = advertised[u]!.maskKey
                let (raw, off) = try Self.verified(u, shares: shares, threshold: t, what: "mask key") { raw in
                    (try? Curve25519.KeyAgreement.PrivateKey(rawRepresentation: raw))?.publicKey.rawRepresentation == advertisedKey
                }
                misbehaving.formUnion(off)
                let key = try Curve25519.KeyAgreement.PrivateKey(rawRepresentation: raw)
                for v in graphNeighbors[u]! where survivors.contains(v) {
                    let seed = try PairwiseMask.maskSeed(privateKey: key, peerKey: advertised[v]!.maskKey, round: round, u, v)
                    // v added +mask when v < u, −mask otherwise: undo it.
                    MaskStream.apply(seed: seed, to: &sum, subtract: v < u)
                }
            }
        }
        return (sum, survivors.sorted())
    }

    /// The 32-byte secret of device `u` from its shares, checked by `matches` (what u committed to),
    /// and the holders whose shares are off the polynomial through the first `t`.
    static func verified(
        _ u: UInt32, shares: [ShamirSecretSharing.Share], threshold t: Int, what: String,
        matches: ([UInt8]) -> Bool
    ) throws -> (secret: [UInt8], off: [UInt32]) {
        let off = ShamirSecretSharing.offPolynomial(shares, threshold: t).map { UInt32(truncatingIfNeeded: $0) }
        guard let secret = try? ShamirSecretSharing.recover(shares, threshold: t, byteCount: 32), matches(secret) else {
            let named =
                off.isEmpty
                ? "" : " (the shares of holders \(off.sorted().map(String.init).joined(separator: ", ")) are off the polynomial through the first \(t))"
            throw SecureAggregationError.corruptedShares(u, "its \(what) rebuilt from \(t) shares is not the one it committed to\(named)")
        }
        return (secret, off)
    }
}
