import TactCore

/// A cryptographically secure generator: the ChaCha20 keystream (RFC 8439, 20 rounds) under a 256-bit
/// key and a 96-bit nonce, read as little-endian 64-bit words. Seeded from the operating system it is
/// what `SecureRandom` runs on: one system call for the key, then about a gigabyte of keystream per
/// second, where asking the system for every word costs a system call each (DP-ALS draws millions
/// of noise values per model). Seeded explicitly it is a deterministic expander, the generator
/// secure aggregation's masks are expanded by.
public struct ChaCha20Generator: RandomNumberGenerator, Sendable {
    private var key: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32)
    private let nonce: (UInt32, UInt32, UInt32)
    private var counter: UInt32
    private var block = [UInt32](repeating: 0, count: 16)
    private var position = 16  // next unread word of `block`, in 32-bit words
    private var exhausted = false

    /// A generator keyed with 32 bytes; the nonce's 12 bytes default to zero. The block counter starts at `counter`.
    public init(key bytes: [UInt8], nonce nonceBytes: [UInt8] = Array(repeating: 0, count: 12), counter: UInt32 = 0) {
        precondition(bytes.count == 32, "a ChaCha20 key is 32 bytes")
        precondition(nonceBytes.count == 12, "a ChaCha20 nonce is 12 bytes")
        func word(_ b: [UInt8], _ i: Int) -> UInt32 {
            UInt32(b[4 * i]) | UInt32(b[4 * i + 1]) << 8 | UInt32(b[4 * i + 2]) << 16 | UInt32(b[4 * i + 3]) << 24
        }
        key = (
            word(bytes, 0), word(bytes, 1), word(bytes, 2), word(bytes, 3),
            word(bytes, 4), word(bytes, 5), word(bytes, 6), word(bytes, 7)
        )
        nonce = (word(nonceBytes, 0), word(nonceBytes, 1), word(nonceBytes, 2))
        self.counter = counter
    }

    /// A deterministic generator whose key is expanded from a 64-bit seed (by SplitMix64): repeatable
    /// noise for tests and evaluations. Never for a release: 64 bits can be searched.
    public init(seed: UInt64) {
        var expand = SplitMix64(seed: seed)
        var bytes: [UInt8] = []
        for _ in 0..<4 { withUnsafeBytes(of: expand.next().littleEndian) { bytes.append(contentsOf: $0) } }
        self.init(key: bytes)
    }

    /// A generator keyed by the operating system's secure generator.
    public init() {
        var system = SystemRandomNumberGenerator()
        var bytes: [UInt8] = []
        for _ in 0..<4 { withUnsafeBytes(of: system.next().littleEndian) { bytes.append(contentsOf: $0) } }
        self.init(key: bytes)
    }

    public mutating func next() -> UInt64 {
        if position > 14 { refill() }
        let value = UInt64(block[position]) | UInt64(block[position + 1]) << 32
        position += 2
        return value
    }

    /// The next `count` keystream bytes (whole unread words are consumed; a partial word's rest is dropped).
    public mutating func nextBytes(_ count: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(count)
        while out.count < count {
            if position > 15 { refill() }
            let w = block[position]
            position += 1
            for shift in stride(from: 0, to: 32, by: 8) where out.count < count { out.append(UInt8(truncatingIfNeeded: w >> UInt32(shift))) }
        }
        return out
    }

    /// The keystream block for the current counter (RFC 8439 §2.3), then the counter moves on.
    private mutating func refill() {
        precondition(!exhausted, "this key and nonce's keystream is exhausted (256 GiB): key a new generator")
        let initial: [UInt32] = [
            0x6170_7865, 0x3320_646e, 0x7962_2d32, 0x6b20_6574,
            key.0, key.1, key.2, key.3, key.4, key.5, key.6, key.7,
            counter, nonce.0, nonce.1, nonce.2
        ]
        var x = initial
        @inline(__always) func quarter(_ a: Int, _ b: Int, _ c: Int, _ d: Int) {
            x[a] &+= x[b]; x[d] ^= x[a]; x[d] = x[d] << 16 | x[d] >> 16
            x[c] &+= x[d]; x[b] ^= x[c]; x[b] = x[b] << 12 | x[b] >> 20
            x[a] &+= x[b]; x[d] ^= x[a]; x[d] = x[d] << 8 | x[d] >> 24
            x[c] &+= x[d]; x[b] ^= x[c]; x[b] = x[b] << 7 | x[b] >> 25
        }
        for _ in 0..<10 {
            quarter(0, 4, 8, 12); quarter(1, 5, 9, 13); quarter(2, 6, 10, 14); quarter(3, 7, 11, 15)
            quarter(0, 5, 10, 15); quarter(1, 6, 11, 12); quarter(2, 7, 8, 13); quarter(3, 4, 9, 14)
        }
        for i in 0..<16 { block[i] = x[i] &+ initial[i] }
        counter &+= 1
        exhausted = counter == 0
        position = 0
    }
}
