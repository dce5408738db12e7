import Crypto
import Foundation

/// Key derivation shared by devices and the server: the pairwise mask seed of two devices and the
/// channel key their shares travel under, each HKDF-SHA256 of their X25519 agreement, bound to the
/// round and to the (ordered) pair.
public enum PairwiseMask {
    public static func maskSeed(privateKey: Curve25519.KeyAgreement.PrivateKey, peerKey: Data, round: UInt64, _ a: UInt32, _ b: UInt32) throws -> [UInt8] {
        try derive(privateKey: privateKey, peerKey: peerKey, round: round, label: "tact secagg mask", a, b).withUnsafeBytes { Array($0) }
    }

    public static func channelKey(privateKey: Curve25519.KeyAgreement.PrivateKey, peerKey: Data, round: UInt64, _ a: UInt32, _ b: UInt32) throws -> SymmetricKey
    {
        try derive(privateKey: privateKey, peerKey: peerKey, round: round, label: "tact secagg channel", a, b)
    }

    static func derive(privateKey: Curve25519.KeyAgreement.PrivateKey, peerKey: Data, round: UInt64, label: String, _ a: UInt32, _ b: UInt32) throws
        -> SymmetricKey
    {
        guard let peer = try? Curve25519.KeyAgreement.PublicKey(rawRepresentation: peerKey) else { throw SecureAggregationError.badKey(b) }
        let secret = try privateKey.sharedSecretFromKeyAgreement(with: peer)
        var info = Data(label.utf8)
        withUnsafeBytes(of: min(a, b).littleEndian) { info.append(contentsOf: $0) }
        withUnsafeBytes(of: max(a, b).littleEndian) { info.append(contentsOf: $0) }
        var salt = Data()
        withUnsafeBytes(of: round.littleEndian) { salt.append(contentsOf: $0) }
        return secret.hkdfDerivedSymmetricKey(using: SHA256.self, salt: salt, sharedInfo: info, outputByteCount: 32)
    }

    /// Adds device `owner`'s mask for the pair (owner, peer): + when owner < peer, − otherwise, so the
    /// two cancel in a sum.
    public static func apply(seed: [UInt8], owner: UInt32, peer: UInt32, to words: inout [UInt32]) {
        MaskStream.apply(seed: seed, to: &words, subtract: owner > peer)
    }
}
