import Foundation
import TactCore
import Testing

@testable import TactPrivacy

@Suite struct PersonTokenTests {
    let signer = PersonTokenSigner(secret: try! SecretKey(text: String(repeating: "ab", count: 32)))
    let token = PersonToken(
        subject: Pseudonym(bytes: (0..<32).map { UInt8($0 * 7) }), keyID: "k0123456789",
        issuedAt: 1_700_000_000, expiresAt: 1_700_000_900)

    /// Replaces the character at `offset` with another one from the base64url alphabet.
    func flip(_ text: String, at offset: Int) -> String {
        var chars = Array(text)
        chars[offset] = chars[offset] == "A" ? "B" : "A"
        return String(chars)
    }

    func expectError(_ expected: PersonTokenError, _ text: String, now: Int64 = 1_700_000_000) {
        #expect(throws: expected) { try signer.verify(text, now: now) }
    }

    @Test func roundTrip() throws {
        let text = signer.sign(token)
        #expect(text.hasPrefix("tpt1."))
        #expect(text.split(separator: ".").count == 3)
        #expect(try signer.verify(text, now: token.issuedAt) == token)
        #expect(try signer.verify(text, now: token.expiresAt - 1) == token)
        // The payload is readable JSON that names the pseudonym, never a raw id.
        let payload = try #require(Base64URL.decode(text.split(separator: ".")[1]))
        let json = String(decoding: payload, as: UTF8.self)
        #expect(json.contains("\"sub\":\"\(token.subject.hex)\""))
        #expect(json.contains("\"kid\":\"k0123456789\""))
        #expect(json.contains("\"exp\":1700000900"))
        // The same secret verifies it in another signer (another process).
        let again = PersonTokenSigner(secret: try SecretKey(text: String(repeating: "ab", count: 32)))
        #expect(try again.verify(text, now: token.issuedAt) == token)
    }

    @Test func expiredTokensAreRefused() {
        let text = signer.sign(token)
        expectError(.expired(at: token.expiresAt), text, now: token.expiresAt)
        expectError(.expired(at: token.expiresAt), text, now: token.expiresAt + 86_400)
        #expect(PersonTokenError.expired(at: 5).description.contains("ask the service for a new token"))
    }

    @Test func tamperedPayloadIsRefused() {
        let text = signer.sign(token)
        let payloadStart = "tpt1.".count
        for offset in [payloadStart, payloadStart + 10, payloadStart + 40] {
            expectError(.badSignature, flip(text, at: offset))
        }
        // A payload swapped in from another token does not carry that token's signature.
        var later = token
        later.expiresAt += 10_000
        let parts = text.split(separator: ".")
        let otherParts = signer.sign(later).split(separator: ".")
        expectError(.badSignature, "tpt1.\(otherParts[1]).\(parts[2])")
    }

    @Test func tamperedSignatureIsRefused() {
        let text = signer.sign(token)
        let signatureStart = text.count - 43
        expectError(.badSignature, flip(text, at: signatureStart))
        expectError(.badSignature, flip(text, at: signatureStart + 20))
        expectError(.badSignature, String(text.dropLast(3)))  // a shorter MAC (30 bytes)
        expectError(.badSignature, text.replacingLast(43, with: ""))  // no MAC at all
    }

    @Test func aTokenFromAnotherSecretIsRefused() {
        let other = PersonTokenSigner(secret: .generate())
        expectError(.badSignature, other.sign(token))
    }

    @Test func damagedTextIsMalformed() {
        let text = signer.sign(token)
        let parts = text.split(separator: ".").map(String.init)
        for bad in [
            "", ".", "..", "tpt1", "tpt1.", "tpt1..", "tpt1.\(parts[1])", "tpt2.\(parts[1]).\(parts[2])",
            "TPT1.\(parts[1]).\(parts[2])", "\(text).x", "tpt1.\(parts[1]).\(parts[2])=", "tpt1.\(parts[1]).\(parts[2].dropLast())+",
            " \(text)", "tpt1.\(parts[1]).\(parts[2])\n", String(repeating: "a", count: 1_000_000),
            "tpt1." + String(repeating: "A", count: 5000) + "." + parts[2]
        ] {
            expectError(.malformed, bad)
        }
    }

    @Test func aSignedPayloadThatIsNotATokenIsMalformed() throws {
        // Correctly signed, but not the JSON a token holds: shows that parsing, not only the MAC, guards the fields.
        func signed(_ json: String) -> String { signer.sign(payload: Array(json.utf8)) }
        for json in [
            "not json", "[]", "{}", #"{"sub":"ab","kid":"k","iat":1,"exp":2}"#,
            #"{"sub":"\#(token.subject.hex)","kid":"k","iat":"1","exp":2}"#,
            #"{"sub":"\#(token.subject.hex)","kid":7,"iat":1,"exp":2}"#,
            #"{"sub":"\#(token.subject.hex)","kid":"k","iat":1,"exp":1.5}"#,
            #"{"sub":"\#(token.subject.hex)","kid":"k","iat":1,"exp":1e400}"#
        ] {
            expectError(.malformed, signed(json))
        }
        #expect(try signer.verify(signed(#"{"sub":"\#(token.subject.hex)","kid":"k","iat":1,"exp":9999999999}"#), now: 5).keyID == "k")
    }

    @Test("3,000 random strings are refused as tokens, never crash; the seed is printed with any failure")
    func garbageNeverCrashes() {
        // Seeded so a failure can be replayed: TACT_FUZZ_SEED picks another run.
        let seed = ProcessInfo.processInfo.environment["TACT_FUZZ_SEED"].flatMap(UInt64.init) ?? 20_261_207
        var rng = SplitMix64(seed: seed)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ {}\"tp1é\u{0}")
        for round in 0..<3000 {
            let length = Int.random(in: 0...200, using: &rng)
            var text: String
            switch round % 3 {
            case 0: text = String((0..<length).map { _ in alphabet.randomElement(using: &rng)! })
            case 1: text = String(decoding: (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }, as: UTF8.self)
            default: text = "tpt1." + String((0..<length).map { _ in alphabet.randomElement(using: &rng)! })
            }
            #expect(throws: PersonTokenError.self, "seed \(seed), round \(round): \(text.debugDescription)") { try signer.verify(text, now: 0) }
        }
    }
}

private extension String {
    func replacingLast(_ n: Int, with replacement: String) -> String { String(dropLast(n)) + replacement }
}
