/// The masks of secure aggregation: the ChaCha20 keystream (RFC 8439, zero nonce, counter from 0)
/// under a 32-byte seed, read as little-endian 32-bit words and added to (or subtracted from) a
/// vector in Z_2^32. Sixteen blocks are computed at once, one per SIMD lane, so expanding a mask
/// for a 1,682 × 64 update (430 KB) takes a fraction of a millisecond. The words are the same as
/// `ChaCha20Generator`'s, in the same order.
public enum MaskStream {
    /// vector[i] += keystream[i] (or −=), wrapping, for every i.
    public static func apply(seed: [UInt8], to vector: inout [UInt32], subtract: Bool = false) {
        precondition(seed.count == 32, "a mask seed is 32 bytes")
        vector.withUnsafeMutableBufferPointer { apply(seed: seed, to: $0, subtract: subtract) }
    }

    public static func apply(seed: [UInt8], to vector: UnsafeMutableBufferPointer<UInt32>, subtract: Bool) {
        var key = (UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0))
        withUnsafeMutableBytes(of: &key) { k in
            for i in 0..<32 { k[i] = seed[i] }  // little-endian words, as RFC 8439 reads the key
        }
        let n = vector.count
        let out = UnsafeMutablePointer<UInt32>.allocate(capacity: 256)
        defer { out.deallocate() }
        var block: UInt32 = 0
        var offset = 0
        while offset < n {
            keystream16(key: key, firstBlock: block, into: out)
            let take = min(256, n - offset)
            let v = vector.baseAddress! + offset
            if subtract {
                for i in 0..<take { v[i] &-= out[i] }
            } else {
                for i in 0..<take { v[i] &+= out[i] }
            }
            offset += take
            block &+= 16
        }
    }

    typealias Key = (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32)

    /// Sixteen consecutive keystream blocks (256 words) starting at block `firstBlock`, in keystream order.
    @inline(__always)
    static func keystream16(key: Key, firstBlock: UInt32, into out: UnsafeMutablePointer<UInt32>) {
        typealias V = SIMD16<UInt32>
        let c0 = V(repeating: 0x6170_7865), c1 = V(repeating: 0x3320_646e), c2 = V(repeating: 0x7962_2d32), c3 = V(repeating: 0x6b20_6574)
        let k0 = V(repeating: key.0), k1 = V(repeating: key.1), k2 = V(repeating: key.2), k3 = V(repeating: key.3)
        let k4 = V(repeating: key.4), k5 = V(repeating: key.5), k6 = V(repeating: key.6), k7 = V(repeating: key.7)
        let counters = V(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15) &+ V(repeating: firstBlock)
        let zero = V(repeating: 0)
        var x0 = c0, x1 = c1, x2 = c2, x3 = c3, x4 = k0, x5 = k1, x6 = k2, x7 = k3
        var x8 = k4, x9 = k5, x10 = k6, x11 = k7, x12 = counters, x13 = zero, x14 = zero, x15 = zero
        // Added, not or-ed (the bits do not overlap): an or is matched as a rotate, which SSE2 lacks, and scalarized.
        @inline(__always) func rotate(_ v: V, _ r: UInt32) -> V { (v &<< r) &+ (v &>> (32 - r)) }
        @inline(__always) func quarter(_ a: inout V, _ b: inout V, _ c: inout V, _ d: inout V) {
            a &+= b; d = rotate(d ^ a, 16)
            c &+= d; b = rotate(b ^ c, 12)
            a &+= b; d = rotate(d ^ a, 8)
            c &+= d; b = rotate(b ^ c, 7)
        }
        for _ in 0..<10 {
            quarter(&x0, &x4, &x8, &x12); quarter(&x1, &x5, &x9, &x13); quarter(&x2, &x6, &x10, &x14); quarter(&x3, &x7, &x11, &x15)
            quarter(&x0, &x5, &x10, &x15); quarter(&x1, &x6, &x11, &x12); quarter(&x2, &x7, &x8, &x13); quarter(&x3, &x4, &x9, &x14)
        }
        // Word w of block `lane` goes to out[lane * 16 + w].
        @inline(__always) func store(_ v: V, _ w: Int) {
            for lane in 0..<16 { out[lane &* 16 &+ w] = v[lane] }
        }
        store(x0 &+ c0, 0); store(x1 &+ c1, 1); store(x2 &+ c2, 2); store(x3 &+ c3, 3)
        store(x4 &+ k0, 4); store(x5 &+ k1, 5); store(x6 &+ k2, 6); store(x7 &+ k3, 7)
        store(x8 &+ k4, 8); store(x9 &+ k5, 9); store(x10 &+ k6, 10); store(x11 &+ k7, 11)
        store(x12 &+ counters, 12); store(x13, 13); store(x14, 14); store(x15, 15)
    }
}
