/// Finds personal data in text: runs each enabled recognizer over the UTF-8 bytes, raises the score of
/// a finding that has one of its type's context words among the few words before it, drops findings
/// below the threshold, and resolves overlaps deterministically: the higher score wins, then the longer
/// span, then the type's priority (a checksum-validated type first), then the earlier start.
public struct PIIDetector: Sendable {
    /// Which types to look for (all by default).
    public var types: Set<PIIType> { didSet { mask = TypeMask(types) } }
    private var mask: TypeMask
    /// Findings scoring below this are dropped.
    public var threshold: Double
    /// Added to a finding's score when a context word of its type comes shortly before it.
    public var contextBoost: Double

    public init(types: Set<PIIType> = Set(PIIType.allCases), threshold: Double = 0.5, contextBoost: Double = 0.3) {
        self.types = types
        self.mask = TypeMask(types)
        self.threshold = threshold
        self.contextBoost = contextBoost
    }

    /// Words that, among the five before a finding, make it more likely to be what it looks like.
    static let contextWords: [HashSet64] = PIIType.allCases.map { WordHash.set(contextWordLists[$0] ?? []) }
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

    /// Byte classes of the dispatcher: which recognizers a token starting with this byte can begin.
    static let byteClass: [UInt8] = (0..<256).map { b -> UInt8 in
        switch b {
        case 0x30...0x39: 1                       // digit
        case 0x41...0x5A: 2                       // uppercase
        case 0x61...0x7A: 3                       // lowercase
        case 0x2B, 0x28: 4                        // + (: phone
        case 0x3A: 5                              // :: of IPv6
        case 0xC3...0xC5: 6                       // a Latin letter with a diacritic (À–ſ) may start a name
        default: 0
        }
    }

    /// Every recognizer's candidates, context applied and thresholded, overlaps not yet resolved. One
    /// pass over the bytes: at each token start (no ASCII letter or digit before it) only the
    /// recognizers that can begin with that byte are asked, each resuming where its last look ended.
    func scan(_ t: ScanText) -> [Candidate] {
        var all: [Candidate] = []
        let types = mask
        let email = types.contains(.email), url = types.contains(.url), card = types.contains(.creditCard)
        let iban = types.contains(.iban), ssn = types.contains(.usSSN), phone = types.contains(.phone)
        let date = types.contains(.date), network = types.contains(.ipAddress) || types.contains(.macAddress)
        let crypto = types.contains(.crypto), person = types.contains(.person), address = types.contains(.streetAddress)
        var nEmail = 0, nURL = 0, nCard = 0, nIBAN = 0, nSSN = 0, nPhone = 0, nDate = 0, nNetwork = 0, nCrypto = 0, nPerson = 0, nAddress = 0
        let bytes = t.bytes, count = t.count
        let byteClass = Self.byteClass, contextWords = Self.contextWords
        var i = 0
        while i < count {
            let b = bytes[i]
            if b == 0x40 {
                if email && i >= nEmail { nEmail = EmailRecognizer.match(t, at: i, into: &all) }
                i += 1
                continue
            }
            let kind = byteClass[Int(b)]
            if kind == 0 || (i > 0 && ScanText.isAlnum(bytes[i - 1])) { i += 1; continue }
            switch kind {
            case 1:
                if card && i >= nCard { nCard = CardRecognizer.match(t, at: i, into: &all) }
                if ssn && i >= nSSN { nSSN = SSNRecognizer.match(t, at: i, into: &all) }
                if phone && i >= nPhone { nPhone = PhoneRecognizer.match(t, at: i, into: &all) }
                if date && i >= nDate { nDate = DateRecognizer.match(t, at: i, into: &all) }
                if network && i >= nNetwork { nNetwork = NetworkAddressRecognizer.match(t, at: i, into: &all) }
                if address && i >= nAddress { nAddress = StreetAddressRecognizer.match(t, at: i, word: nil, into: &all) }
                if crypto && i >= nCrypto && (b == 0x30 || b == 0x31 || b == 0x33) { nCrypto = CryptoWalletRecognizer.match(t, at: i, into: &all) }
            case 2, 3:
                // A URL starts with a scheme or www (h, f, w), or is a bare domain: a word followed by a dot.
                if url && i >= nURL {
                    let lower = b | 0x20
                    var e = i + 1
                    while e < count, ScanText.isAlnum(bytes[e]) || bytes[e] == 0x2D { e += 1 }
                    if lower == 0x68 || lower == 0x66 || lower == 0x77 || (e < count && bytes[e] == 0x2E) {
                        nURL = URLRecognizer.match(t, at: i, into: &all)
                    }
                }
                if network && i >= nNetwork && ScanText.isHex(b) { nNetwork = NetworkAddressRecognizer.match(t, at: i, into: &all) }
                if crypto && i >= nCrypto && (b | 0x20) == 0x62 { nCrypto = CryptoWalletRecognizer.match(t, at: i, into: &all) }
                if kind == 2 {
                    if iban && i >= nIBAN { nIBAN = IBANRecognizer.match(t, at: i, into: &all) }
                    if date && i >= nDate { nDate = DateRecognizer.match(t, at: i, into: &all) }
                    // The word is read once for the two recognizers that walk words.
                    if (person && i >= nPerson) || (address && i >= nAddress) {
                        let word = t.word(at: i)
                        if person && i >= nPerson { nPerson = NameRecognizer.match(t, at: i, word: word, into: &all) }
                        if address && i >= nAddress { nAddress = StreetAddressRecognizer.match(t, at: i, word: word, into: &all) }
                    }
                }
            case 4:
                if phone && i >= nPhone { nPhone = PhoneRecognizer.match(t, at: i, into: &all) }
            case 5:
                if network && i >= nNetwork { nNetwork = NetworkAddressRecognizer.match(t, at: i, into: &all) }
            default:
                if (person && i >= nPerson) || (address && i >= nAddress) {
                    let word = t.word(at: i)
                    if person && i >= nPerson { nPerson = NameRecognizer.match(t, at: i, word: word, into: &all) }
                    if address && i >= nAddress { nAddress = StreetAddressRecognizer.match(t, at: i, word: word, into: &all) }
                }
                i += 1
                continue
            }
            // The rest of a word holds no token start: jump over its letters and digits.
            i += 1
            if kind <= 3 { while i < count, ScanText.isAlnum(bytes[i]) { i += 1 } }
        }
        var kept: [Candidate] = []
        kept.reserveCapacity(all.count)
        for var c in all where types.contains(c.type) {
            if c.score < 1, t.precededByWord(in: contextWords[c.type.ordinal], before: c.start, limit: 48, maximum: 5) {
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
struct TypeMask: Sendable {
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
