import TactCore
import Testing

@testable import TactPrivacy

@Suite struct ChaCha20GeneratorTests {
    @Test("the keystream matches RFC 8439 §2.3.2 (key 00…1f, nonce 00000009 0000004a 00000000, block counter 1)")
    func rfcVector() {
        var g = ChaCha20Generator(key: Array(0..<32), nonce: [0, 0, 0, 9, 0, 0, 0, 0x4a, 0, 0, 0, 0], counter: 1)
        let expected: [UInt8] = [
            0x10, 0xf1, 0xe7, 0xe4, 0xd1, 0x3b, 0x59, 0x15, 0x50, 0x0f, 0xdd, 0x1f, 0xa3, 0x20, 0x71, 0xc4,
            0xc7, 0xd1, 0xf4, 0xc7, 0x33, 0xc0, 0x68, 0x03, 0x04, 0x22, 0xaa, 0x9a, 0xc3, 0xd4, 0x6c, 0x4e,
            0xd2, 0x82, 0x64, 0x46, 0x07, 0x9f, 0xaa, 0x09, 0x14, 0xc2, 0xd7, 0x05, 0xd9, 0x8b, 0x02, 0xa2,
            0xb5, 0x12, 0x9c, 0xd1, 0xde, 0x16, 0x4e, 0xb9, 0xcb, 0xd0, 0x83, 0xe8, 0xa2, 0x50, 0x3c, 0x4e
        ]
        #expect(g.nextBytes(64) == expected)
    }

    @Test("64-bit words are the keystream's little-endian pairs, across block boundaries")
    func wordsFollowBytes() {
        var bytes = ChaCha20Generator(seed: 7)
        var words = ChaCha20Generator(seed: 7)
        let stream = bytes.nextBytes(8 * 20)
        for w in 0..<20 {
            var expected: UInt64 = 0
            for b in 0..<8 { expected |= UInt64(stream[8 * w + b]) << (8 * UInt64(b)) }
            #expect(words.next() == expected)
        }
    }

    @Test("seeded generators repeat; system-keyed ones differ; the bits are balanced")
    func seedsAndBalance() {
        var a = ChaCha20Generator(seed: 1), b = ChaCha20Generator(seed: 1), c = ChaCha20Generator(seed: 2)
        let first = (0..<4).map { _ in a.next() }
        #expect(first == (0..<4).map { _ in b.next() })
        #expect(first != (0..<4).map { _ in c.next() })
        var s1 = SecureRandom(), s2 = SecureRandom()
        #expect(s1.next() != s2.next())
        var ones = 0
        for _ in 0..<10_000 { ones += a.next().nonzeroBitCount }
        // 640,000 fair bits: mean 320,000, sd 400.
        #expect(abs(ones - 320_000) < 2_000)
    }
}
