/// Shamir's threshold secret sharing (1979) of byte strings over GF(2⁶¹ − 1): any `threshold` shares
/// recover the secret; fewer reveal nothing about it. A secret is cut into 7-byte chunks, each the
/// constant term of its own random polynomial of degree threshold − 1; a participant's share is the
/// polynomials' values at its x (a nonzero field element, in practice its index in the round).
public enum ShamirSecretSharing {
    /// One participant's share: its x and one value per 7-byte chunk of the secret.
    public struct Share: Sendable, Equatable, Codable {
        public var x: UInt64
        public var values: [UInt64]
        public init(x: UInt64, values: [UInt64]) {
            self.x = x
            self.values = values
        }
    }

    public enum Failure: Error, Equatable, CustomStringConvertible {
        case badThreshold(threshold: Int, participants: Int)
        case badX(UInt64)
        case tooFewShares(have: Int, need: Int)
        case inconsistentShares

        public var description: String {
            switch self {
            case .badThreshold(let t, let n): "a threshold of \(t) needs between 1 and \(n) participants"
            case .badX(let x): "share x = \(x) must be nonzero, below 2^61 - 1 and used once"
            case .tooFewShares(let have, let need): "\(have) shares cannot recover a secret that needs \(need)"
            case .inconsistentShares: "the shares do not belong to one secret (different lengths)"
            }
        }
    }

    /// Bytes of the secret per field element.
    public static let chunk = 7

    /// Shares of `secret` for the participants at `xs`, any `threshold` of which recover it.
    public static func share(_ secret: [UInt8], threshold: Int, xs: [UInt64], using generator: inout some RandomNumberGenerator) throws -> [Share] {
        guard threshold >= 1, threshold <= xs.count else { throw Failure.badThreshold(threshold: threshold, participants: xs.count) }
        var seen = Set<UInt64>()
        for x in xs where x == 0 || x >= PrimeField61.p || !seen.insert(x).inserted { throw Failure.badX(x) }
        let chunks = stride(from: 0, to: secret.count, by: chunk).map { start -> UInt64 in
            secret[start..<min(start + chunk, secret.count)].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        }
        // coefficients[c] = [secret chunk, random a₁ … a_{t−1}]
        let coefficients = chunks.map { constant in [constant] + (1..<threshold).map { _ in PrimeField61.random(using: &generator) } }
        return xs.map { x in
            Share(
                x: x,
                values: coefficients.map { poly in
                    // Horner: ((a_{t−1} x + a_{t−2}) x + …) x + a₀
                    poly.reversed().reduce(UInt64(0)) { PrimeField61.add(PrimeField61.multiply($0, x), $1) }
                })
        }
    }

    /// The secret of `byteCount` bytes from at least `threshold` shares (Lagrange interpolation at 0).
    public static func recover(_ shares: [Share], threshold: Int, byteCount: Int) throws -> [UInt8] {
        guard shares.count >= threshold else { throw Failure.tooFewShares(have: shares.count, need: threshold) }
        let used = Array(shares.prefix(threshold))
        let chunks = (byteCount + chunk - 1) / chunk
        guard used.allSatisfy({ $0.values.count == chunks }) else { throw Failure.inconsistentShares }
        var seen = Set<UInt64>()
        for s in used where s.x == 0 || s.x >= PrimeField61.p || !seen.insert(s.x).inserted { throw Failure.badX(s.x) }
        let basis = lagrange(used.map(\.x), at: 0)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(byteCount)
        for c in 0..<chunks {
            var value: UInt64 = 0
            for j in used.indices { value = PrimeField61.add(value, PrimeField61.multiply(basis[j], used[j].values[c])) }
            for b in 0..<min(chunk, byteCount - c * chunk) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(8 * b))) }
        }
        return bytes
    }

    /// Lagrange basis at `point` for the nodes `xs` (distinct): L_j = Π_{m≠j} (point − x_m) / (x_j − x_m).
    static func lagrange(_ xs: [UInt64], at point: UInt64) -> [UInt64] {
        xs.indices.map { j -> UInt64 in
            var num: UInt64 = 1, den: UInt64 = 1
            for m in xs.indices where m != j {
                num = PrimeField61.multiply(num, PrimeField61.subtract(point, xs[m]))
                den = PrimeField61.multiply(den, PrimeField61.subtract(xs[j], xs[m]))
            }
            return PrimeField61.multiply(num, PrimeField61.inverse(den))
        }
    }

    /// The shares (by x) that do not lie on the polynomials through the first `threshold` shares.
    /// Shares from more holders than the threshold over-determine each polynomial (of degree
    /// threshold − 1), so any share altered alone is found here; empty when all agree. Shares of the
    /// wrong length, at x = 0, out of the field or at a repeated x count as off.
    public static func offPolynomial(_ shares: [Share], threshold: Int) -> [UInt64] {
        guard threshold >= 1, shares.count > threshold else { return [] }
        let used = Array(shares.prefix(threshold))
        let chunks = used[0].values.count
        var seen = Set<UInt64>()
        for s in used where s.x == 0 || s.x >= PrimeField61.p || !seen.insert(s.x).inserted || s.values.count != chunks {
            return shares.map(\.x)  // the base itself is unusable: every share is in doubt
        }
        var off: [UInt64] = []
        for extra in shares.dropFirst(threshold) {
            guard extra.x != 0, extra.x < PrimeField61.p, !seen.contains(extra.x), extra.values.count == chunks,
                extra.values.allSatisfy({ $0 < PrimeField61.p })
            else { off.append(extra.x); continue }
            let basis = lagrange(used.map(\.x), at: extra.x)
            for c in 0..<chunks {
                var value: UInt64 = 0
                for j in used.indices { value = PrimeField61.add(value, PrimeField61.multiply(basis[j], used[j].values[c])) }
                if value != extra.values[c] { off.append(extra.x); break }
            }
        }
        return off
    }
}
