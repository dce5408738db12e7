import TactCore
import Testing

@Suite struct Base64URLTests {
    @Test func knownVectors() {
        // RFC 4648 §10, without padding, in the URL-safe alphabet.
        let vectors = ["": "", "f": "Zg", "fo": "Zm8", "foo": "Zm9v", "foob": "Zm9vYg", "fooba": "Zm9vYmE", "foobar": "Zm9vYmFy"]
        for (plain, encoded) in vectors {
            #expect(Base64URL.encode(Array(plain.utf8)) == encoded)
            #expect(Base64URL.decode(encoded) == Array(plain.utf8))
        }
        #expect(Base64URL.encode([0xfb, 0xff, 0xbf]) == "-_-_")
    }

    @Test func roundTripsEveryLength() {
        var rng = SystemRandomNumberGenerator()
        for n in 0..<100 {
            let bytes = (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) }
            #expect(Base64URL.decode(Base64URL.encode(bytes)) == bytes)
        }
    }

    @Test func refusesAnythingElse() {
        for bad in ["Zg==", "Z", "Zm9v+", "Zm9v/", "Zh", "Zm9", "Zm 9v", "Zm9v\n", "é"] {
            #expect(Base64URL.decode(bad) == nil, "\(bad)")
        }
    }
}
