import TactCore
import Testing

@testable import TactPrivacy

@Suite struct PseudonymizerTests {
    let secret = try! SecretKey(text: String(repeating: "ab", count: 32))

    @Test func sameIdSameSecretSamePseudonym() {
        let p = Pseudonymizer(secret: secret)
        #expect(p.pseudonym(for: "alice") == p.pseudonym(for: "alice"))
        #expect(p.pseudonym(for: "alice") != p.pseudonym(for: "alice "))
        #expect(p.pseudonym(for: "alice").bytes.count == 32)
        #expect(p.pseudonym(for: "alice").hex.count == 64)
    }

    @Test func anotherSecretGivesUnlinkablePseudonyms() throws {
        let other = Pseudonymizer(secret: try SecretKey(text: String(repeating: "cd", count: 32)))
        #expect(Pseudonymizer(secret: secret).pseudonym(for: "alice") != other.pseudonym(for: "alice"))
        #expect(Pseudonymizer(secret: .generate()).pseudonym(for: "alice") != Pseudonymizer(secret: .generate()).pseudonym(for: "alice"))
    }

    @Test func pseudonymIsNotAPlainHashOfTheId() {
        // HMAC under a derived key: neither the id nor a hash of it appears.
        let hex = Pseudonymizer(secret: secret).pseudonym(for: "alice").hex
        #expect(!hex.contains("alice"))
        #expect(hex != "2bd806c97f0e00af1a1fc3328fa763a9269723c8db8fac4f93af71db186d6e90")  // SHA-256("alice")
    }

    @Test func secretText() throws {
        let hex = SecretKey.generate().hexEncoded
        #expect(hex.count == 64)
        #expect(try SecretKey(text: hex + "\n").hexEncoded == hex)
        #expect(throws: SecretKeyError.self) { try SecretKey(text: "short") }
        _ = try SecretKey(text: "a passphrase that is at least thirty-two bytes long")
    }

    @Test func hexRoundTrip() {
        let p = Pseudonymizer(secret: secret).pseudonym(for: "bob")
        #expect(Pseudonym(hex: p.hex) == p)
        #expect(Pseudonym(hex: "zz") == nil)
    }
}
