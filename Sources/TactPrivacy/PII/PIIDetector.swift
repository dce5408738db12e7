/// Finds personal data in text: runs each enabled recognizer over the UTF-8 bytes, raises the score of
/// a finding that has one of its type's context words among the few words before it, drops findings
/// below the threshold, and resolves overlaps deterministically: the higher score wins, then the longer
/// span, then the type's priority (a checksum-validated type first), then the earlier start.
public struct PIIDetector: Sendable {
    /// Which types to look for (all by default).
    public var types: Set<PIIType>
    /// Findings scoring below this are dropped.
    public var threshold: Double
    /// Added to a finding's score when a context word of its type comes shortly before it.
    public var contextBoost: Double

    public init(types: Set<PIIType> = Set(PIIType.allCases), threshold: Double = 0.5, contextBoost: Double = 0.3) {
        self.types = types
        self.threshold = threshold
        self.contextBoost = contextBoost
    }

    /// Words that, among the five before a finding, make it more likely to be what it looks like.
    static let contextWords: [PIIType: Set<UInt64>] = contextWordLists.mapValues { WordHash.set($0) }
    static let contextWordLists: [PIIType: [String]] = [
        .phone: ["phone", "tel", "telephone", "call", "mobile", "cell", "fax", "number", "contact", "whatsapp", "sms", "text", "reach", "ring", "dial", "telefon", "handy"],
        .creditCard: ["card", "credit", "debit", "visa", "mastercard", "amex", "payment", "pay", "cc"],
        .iban: ["iban", "account", "bank", "transfer", "wire", "sepa"],
        .usSSN: ["ssn", "social", "security", "ss", "taxpayer"],
        .email: ["email", "mail", "e", "contact"],
        .date: ["born", "birth", "dob", "birthday", "date", "on", "since", "until", "geboren", "née", "ne"],
        .ipAddress: ["ip", "address", "server", "host", "from", "client"],
        .macAddress: ["mac", "device", "hardware", "address"],
        .url: ["url", "link", "site", "website", "visit", "see", "at", "go"],
        .person: ["name", "mr", "mrs", "ms", "dr", "dear", "hi", "hello", "thanks", "regards", "signed", "contact", "customer",
                  "patient", "from", "by", "called", "ask", "spoke", "with", "met", "and", "cc", "to", "for"],
        .streetAddress: ["live", "lives", "address", "at", "located", "ship", "deliver", "moved", "street", "home"],
        .crypto: ["wallet", "btc", "bitcoin", "eth", "ethereum", "address", "send", "crypto"],
    ]

    /// The findings in `text`, ordered by start.
    public func detect(_ text: String) -> [PIIFinding] {
        var copy = text
        return copy.withUTF8 { detect(utf8: $0) }
    }

    /// The findings in UTF-8 bytes (which must be valid UTF-8), ordered by start.
    public func detect(utf8 bytes: UnsafeBufferPointer<UInt8>) -> [PIIFinding] {
        let candidates = resolve(scan(ScanText(bytes: bytes)))
        return Self.withOffsets(candidates, in: bytes)
    }

    /// Every recognizer's candidates, context applied and thresholded, overlaps not yet resolved.
    func scan(_ t: ScanText) -> [Candidate] {
        var all: [Candidate] = []
        let types = TypeMask(self.types)
        if types.contains(.email) { EmailRecognizer.scan(t, into: &all) }
        if types.contains(.url) { URLRecognizer.scan(t, into: &all) }
        if types.contains(.creditCard) { CardRecognizer.scan(t, into: &all) }
        if types.contains(.iban) { IBANRecognizer.scan(t, into: &all) }
        if types.contains(.usSSN) { SSNRecognizer.scan(t, into: &all) }
        if types.contains(.phone) { PhoneRecognizer.scan(t, into: &all) }
        if types.contains(.date) { DateRecognizer.scan(t, into: &all) }
        if types.contains(.ipAddress) || types.contains(.macAddress) { NetworkAddressRecognizer.scan(t, into: &all) }
        if types.contains(.crypto) { CryptoWalletRecognizer.scan(t, into: &all) }
        if types.contains(.person) { NameRecognizer.scan(t, into: &all) }
        if types.contains(.streetAddress) { StreetAddressRecognizer.scan(t, into: &all) }
        var kept: [Candidate] = []
        kept.reserveCapacity(all.count)
        for var c in all where types.contains(c.type) {
            if c.score < 1, let words = Self.contextWords[c.type], t.precededByWord(in: words, before: c.start, limit: 48, maximum: 5) {
                c.score = min(1, c.score + contextBoost)
            }
            if c.score >= threshold { kept.append(c) }
        }
        return kept
    }

    /// Non-overlapping candidates: best first (score, length, type priority, start), then by start.
    func resolve(_ candidates: [Candidate]) -> [Candidate] {
        guard candidates.count > 1 else { return candidates }
        let ranked = candidates.sorted { a, b in
            if a.score != b.score { return a.score > b.score }
            if a.end - a.start != b.end - b.start { return a.end - a.start > b.end - b.start }
            if a.type.priority != b.type.priority { return a.type.priority < b.type.priority }
            return a.start < b.start
        }
        var accepted: [Candidate] = []
        for c in ranked where !accepted.contains(where: { $0.start < c.end && c.start < $0.end }) { accepted.append(c) }
        return accepted.sorted { $0.start < $1.start }
    }

    /// Byte ranges turned into Unicode scalar and UTF-16 offsets, in one walk over the bytes.
    static func withOffsets(_ candidates: [Candidate], in bytes: UnsafeBufferPointer<UInt8>) -> [PIIFinding] {
        var findings: [PIIFinding] = []
        findings.reserveCapacity(candidates.count)
        var byte = 0, scalars = 0, utf16 = 0
        func advance(to target: Int) {
            while byte < target {
                let b = bytes[byte]
                if b & 0xC0 != 0x80 { scalars += 1; utf16 += b >= 0xF0 ? 2 : 1 }
                byte += 1
            }
        }
        for c in candidates {
            advance(to: c.start)
            let (s, s16) = (scalars, utf16)
            advance(to: c.end)
            findings.append(PIIFinding(type: c.type, start: s, end: scalars, utf16Start: s16, utf16End: utf16,
                                       byteStart: c.start, byteEnd: c.end, score: c.score))
        }
        return findings
    }
}

/// A set of types as bits: checked once per recognizer and candidate, so it must cost nothing.
struct TypeMask {
    let bits: UInt32
    init(_ types: Set<PIIType>) {
        var b: UInt32 = 0
        for t in types { b |= 1 << UInt32(PIIType.allCases.firstIndex(of: t)!) }
        bits = b
    }
    @inline(__always) func contains(_ t: PIIType) -> Bool { bits & (1 << UInt32(t.ordinal)) != 0 }
}

extension PIIType {
    /// The position in `allCases`.
    var ordinal: Int {
        switch self {
        case .email: 0
        case .phone: 1
        case .creditCard: 2
        case .iban: 3
        case .ipAddress: 4
        case .macAddress: 5
        case .usSSN: 6
        case .url: 7
        case .date: 8
        case .crypto: 9
        case .person: 10
        case .streetAddress: 11
        }
    }
}
