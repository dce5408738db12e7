import Crypto
import Foundation
import Testing

@testable import TactPrivacy

/// Each recognizer on valid values and near misses, overlaps, offsets in non-ASCII text, operators,
/// and the labelled fixture corpus (Tests/Fixtures/pii-corpus.jsonl, from Benchmarks/pii/generate_corpus.py).
@Suite struct PIIDetectorTests {
    let detector = PIIDetector()

    /// The (type, matched text) pairs found in `text`.
    func found(_ text: String, _ detector: PIIDetector = PIIDetector()) -> [String] {
        let scalars = Array(text.unicodeScalars)
        return detector.detect(text).map { f in
            "\(f.type.rawValue):" + String(String.UnicodeScalarView(scalars[f.start..<f.end]))
        }
    }

    @Test("e-mail addresses, and what is not one")
    func email() {
        #expect(found("write to jane.doe+news@mail.example.co.uk today") == ["EMAIL:jane.doe+news@mail.example.co.uk"])
        #expect(found("user@localhost and @handle and a@b.c").isEmpty)
        #expect(found("メールはx.y@example.esまで") == ["EMAIL:x.y@example.es"])
    }

    @Test("cards need a valid Luhn digit and an issuer's prefix and length")
    func cards() {
        #expect(found("card 4111 1111 1111 1111 ok") == ["CREDIT_CARD:4111 1111 1111 1111"])
        #expect(found("amex 3782-822463-10005") == ["CREDIT_CARD:3782-822463-10005"])
        #expect(found("mc 2221000000000009") == ["CREDIT_CARD:2221000000000009"])
        #expect(found("card 4111 1111 1111 1112").filter { $0.hasPrefix("CREDIT_CARD") }.isEmpty)  // Luhn fails
        #expect(found("id 1234567812345670").filter { $0.hasPrefix("CREDIT_CARD") }.isEmpty)  // no issuer starts with 1
        #expect(found("4111 1111-1111 1111").filter { $0.hasPrefix("CREDIT_CARD") }.isEmpty)  // mixed separators
    }

    @Test("IBANs need their country's length and the mod-97 check")
    func ibans() {
        #expect(found("IBAN DE89 3704 0044 0532 0130 00.") == ["IBAN:DE89 3704 0044 0532 0130 00"])
        #expect(found("pay GB82WEST12345698765432 now") == ["IBAN:GB82WEST12345698765432"])
        #expect(found("IBAN DE88 3704 0044 0532 0130 00").filter { $0.hasPrefix("IBAN") }.isEmpty)  // check digits wrong
        #expect(found("IBAN DE89 3704 0044 0532 0130").filter { $0.hasPrefix("IBAN") }.isEmpty)  // too short for DE
        #expect(found("use BE71096123456769 instead.") == ["IBAN:BE71096123456769"])
    }

    @Test("SSNs follow the area, group and serial rules; bare digits need context")
    func ssn() {
        #expect(found("SSN 123-45-6789") == ["US_SSN:123-45-6789"])
        #expect(found("ref 123 45 6789") == ["US_SSN:123 45 6789"])
        for bad in ["000-12-3456", "666-12-3456", "912-12-3456", "123-00-4567", "123-45-0000"] {
            #expect(found("SSN \(bad)").filter { $0.hasPrefix("US_SSN") }.isEmpty, "\(bad)")
        }
        #expect(found("order 123456789").filter { $0.hasPrefix("US_SSN") }.isEmpty)
        #expect(found("my ssn is 123456789") == ["US_SSN:123456789"])
    }

    @Test("IPv4, IPv6 and MAC addresses, but not version strings or times")
    func network() {
        #expect(found("from 192.168.1.20 at") == ["IP_ADDRESS:192.168.1.20"])
        #expect(found("v 1.2.3.4.5 and 256.1.1.1 and 10:30:45").isEmpty)
        #expect(found("host 2001:db8::8a2e:370:7334 up") == ["IP_ADDRESS:2001:db8::8a2e:370:7334"])
        #expect(found("loopback ::1 and ::ffff:192.0.2.1") == ["IP_ADDRESS:::1", "IP_ADDRESS:::ffff:192.0.2.1"])
        #expect(found("full 2001:0db8:85a3:0000:0000:8a2e:0370:7334") == ["IP_ADDRESS:2001:0db8:85a3:0000:0000:8a2e:0370:7334"])
        #expect(
            found("mac 00:1A:2B:3C:4D:5E, 00-1a-2b-3c-4d-5e, 001a.2b3c.4d5e") == [
                "MAC_ADDRESS:00:1A:2B:3C:4D:5E", "MAC_ADDRESS:00-1a-2b-3c-4d-5e", "MAC_ADDRESS:001a.2b3c.4d5e"
            ])
    }

    @Test("URLs with a scheme, www and known domains; not file names or abbreviations")
    func urls() {
        #expect(found("see https://example.com/a?b=1.") == ["URL:https://example.com/a?b=1"])
        #expect(found("(www.example.org)") == ["URL:www.example.org"])
        #expect(found("shop.example.co.uk/path rocks") == ["URL:shop.example.co.uk/path"])
        #expect(found("open report.pdf, e.g. now").isEmpty)
    }

    @Test("dates: numeric with valid days and months, written, ISO with a time")
    func dates() {
        #expect(
            found("on 2024-03-01 and 01/03/2024 and 1 March 2024 and March 1, 2024") == [
                "DATE:2024-03-01", "DATE:01/03/2024", "DATE:1 March 2024", "DATE:March 1, 2024"
            ])
        #expect(found("2024-03-01T12:30:00Z ok") == ["DATE:2024-03-01"])
        #expect(found("2024-02-30 and 13/13/2024 and version 3.10.2").isEmpty)
        // Next to "born" a date scores higher.
        let plain = detector.detect("1 March 1990 was").first!.score, born = detector.detect("born 1 March 1990").first!.score
        #expect(born > plain)
    }

    @Test("wallets: Base58Check and bech32 checksums verified, Ethereum by shape")
    func crypto() {
        #expect(found("btc 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa") == ["CRYPTO:1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"])
        #expect(found("btc 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb").isEmpty)
        #expect(found("to bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4") == ["CRYPTO:bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"])
        #expect(found("to bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5").isEmpty)
        #expect(found("eth 0x52908400098527886e0f7030069857d2e4169ee7") == ["CRYPTO:0x52908400098527886e0f7030069857d2e4169ee7"])
    }

    @Test("phones: international, North American and national forms; not dates or bare numbers without context")
    func phones() {
        #expect(found("call +44 20 7946 0958 now") == ["PHONE:+44 20 7946 0958"])
        #expect(found("(415) 555-2671 or 415.555.2671") == ["PHONE:(415) 555-2671", "PHONE:415.555.2671"])
        #expect(found("Tel. 030 123456") == ["PHONE:030 123456"])
        #expect(found("order 4155552671 shipped").isEmpty)
        #expect(found("phone 4155552671") == ["PHONE:4155552671"])
    }

    @Test("names: listed first names with surnames, titles, particles and diacritics; everyday words are not names")
    func names() {
        #expect(found("Please ask John Smith.") == ["PERSON:John Smith"])
        #expect(found("signed Dr. Müller today") == ["PERSON:Müller"])
        #expect(found("with Maria van der Berg") == ["PERSON:Maria van der Berg"])
        #expect(found("Will they come? May I ask? The Street is long. Rose Garden opens.").filter { $0.hasPrefix("PERSON") }.isEmpty)
        #expect(found("José García called") == ["PERSON:José García"])
    }

    @Test("street addresses in English, Romance and German order")
    func addresses() {
        #expect(found("lives at 221B Baker Street, London") == ["STREET_ADDRESS:221B Baker Street"])
        #expect(found("1600 Pennsylvania Avenue NW is") == ["STREET_ADDRESS:1600 Pennsylvania Avenue NW"])
        #expect(found("au 12 rue de Rivoli à Paris").contains("STREET_ADDRESS:12 rue de Rivoli"))
        #expect(found("in der Hauptstraße 5 wohnt") == ["STREET_ADDRESS:Hauptstraße 5"])
    }

    @Test("overlaps resolve deterministically: the validated, longer finding wins")
    func overlaps() {
        // The domain inside an address is not a second finding; a card is not also a phone.
        #expect(found("mail jane@example.com") == ["EMAIL:jane@example.com"])
        #expect(found("pay 4111111111111111") == ["CREDIT_CARD:4111111111111111"])
        let text = "x 4111 1111 1111 1111 y jane@example.com z 192.168.0.1"
        #expect(detector.detect(text) == detector.detect(text))
    }

    @Test("offsets count Unicode scalars and UTF-16 units in text with accents, emoji and CJK")
    func offsets() throws {
        let text = "📞 Zoë: 电话 +1 415-555-2671 😀 jane@example.com"
        let findings = detector.detect(text)
        let scalars = Array(text.unicodeScalars), utf16 = Array(text.utf16)
        #expect(findings.map(\.type) == [.phone, .email])
        for f in findings {
            let byScalars = String(String.UnicodeScalarView(scalars[f.start..<f.end]))
            let byUTF16 = String(decoding: utf16[f.utf16Start..<f.utf16End], as: UTF16.self)
            #expect(byScalars == byUTF16)
            #expect(["+1 415-555-2671", "jane@example.com"].contains(byScalars))
        }
        #expect(findings[0].utf16Start == findings[0].start + 1)  // the emoji is two UTF-16 units
    }

    @Test("operators: redact, replace, mask, keyed hash (stable per key) and encryption that decrypts back")
    func operators() throws {
        let text = "Mail jane@example.com, card 4111 1111 1111 1111."
        let key = SymmetricKey(size: .bits256), other = SymmetricKey(size: .bits256)
        #expect(try PIIRedactor(defaultOperator: .redact).redact(text).text == "Mail , card .")
        #expect(try PIIRedactor(defaultOperator: .replace).redact(text).text == "Mail <EMAIL>, card <CREDIT_CARD>.")
        #expect(try PIIRedactor(defaultOperator: .mask).redact(text).text == "Mail ****@******e.com, card **** **** **** 1111.")
        let hashed = try PIIRedactor(defaultOperator: .hash, key: key).redact(text).text
        #expect(hashed == (try PIIRedactor(defaultOperator: .hash, key: key).redact(text).text))
        #expect(hashed != (try PIIRedactor(defaultOperator: .hash, key: other).redact(text).text))
        #expect(!hashed.contains("jane") && hashed.contains("<EMAIL:"))
        let encrypted = try PIIRedactor(defaultOperator: .encrypt, key: key).redact(text).text
        #expect(!encrypted.contains("jane") && !encrypted.contains("4111"))
        #expect(try PIIRedactor(key: key).decrypt(encrypted) == text)
        #expect(throws: PIIOperatorError.self) { try PIIRedactor(key: other).decrypt(encrypted) }
        #expect(throws: PIIOperatorError.missingKey) { try PIIRedactor(defaultOperator: .hash).redact(text) }
        // Per type: e-mail hashed, the rest replaced.
        let mixed = try PIIRedactor(defaultOperator: .replace, operators: [.email: .hash], key: key).redact(text).text
        #expect(mixed.contains("<EMAIL:") && mixed.contains("<CREDIT_CARD>"))
    }

    @Test("on the labelled fixture corpus every structured type scores F1 ≥ 0.9 and names ≥ 0.75")
    func fixtureCorpus() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/pii-corpus.jsonl").path
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 400)
        var tp: [PIIType: Int] = [:], fp: [PIIType: Int] = [:], fn: [PIIType: Int] = [:]
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            let text = object["text"] as! String
            var gold = (object["entities"] as! [[String: Any]]).map {
                (type: PIIType(rawValue: $0["type"] as! String)!, start: $0["start"] as! Int, end: $0["end"] as! Int)
            }
            for f in detector.detect(text) {
                // The benchmark's rule: same type, overlapping by at least half the longer span.
                if let k = gold.firstIndex(where: { g in
                    g.type == f.type && 2 * (min(g.end, f.end) - max(g.start, f.start)) >= max(g.end - g.start, f.end - f.start)
                }) {
                    tp[f.type, default: 0] += 1
                    gold.remove(at: k)
                } else {
                    fp[f.type, default: 0] += 1
                }
            }
            for g in gold { fn[g.type, default: 0] += 1 }
        }
        for type in PIIType.allCases {
            let t = Double(tp[type, default: 0]), p = Double(fp[type, default: 0]), n = Double(fn[type, default: 0])
            let f1 = t == 0 ? 0 : 2 * t / (2 * t + p + n)
            let floor = type == .person ? 0.75 : type == .date || type == .streetAddress || type == .phone ? 0.8 : 0.9
            #expect(f1 >= floor, "\(type.rawValue): F1 \(f1) (tp \(Int(t)), fp \(Int(p)), fn \(Int(n)))")
        }
    }
}

@Suite struct EgressCheckTests {
    @Test("a response body carrying an e-mail address or a card number is reported and redacted; a clean body passes unchanged")
    func responses() {
        let leaking = Array(#"{"items":[{"id":"i1","title":"Blue Train","note":"owner jane@example.com"},{"id":"i2","pay":"4111 1111 1111 1111"}]}"#.utf8)
        let result = EgressCheck().check(leaking)
        #expect(!result.clean)
        #expect(result.counts == [.email: 1, .creditCard: 1])
        let body = String(decoding: result.body, as: UTF8.self)
        #expect(body == #"{"items":[{"id":"i1","title":"Blue Train","note":"owner <EMAIL>"},{"id":"i2","pay":"<CREDIT_CARD>"}]}"#)
        let clean = Array(#"{"items":[{"id":"i1","title":"Kind of Blue","year":"1959-08-17","by":"Miles Davis"}]}"#.utf8)
        let passed = EgressCheck().check(clean)
        #expect(passed.clean && passed.body == clean)  // names and dates are not checked by default
    }
}
