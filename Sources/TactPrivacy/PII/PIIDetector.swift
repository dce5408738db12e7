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
        .phone: [
            "phone", "tel", "telephone", "call", "mobile", "cell", "fax", "number", "contact", "whatsapp", "sms", "text", "reach", "ring", "dial", "telefon",
            "handy"
        ],
        .creditCard: ["card", "credit", "debit", "visa", "mastercard", "amex", "payment", "pay", "cc"],
        .iban: ["iban", "account", "bank", "transfer", "wire", "sepa"],
        .usSSN: ["ssn", "social", "security", "ss", "taxpayer"],
        .email: ["email", "mail", "e", "contact"],
        .date: ["born", "birth", "dob", "birthday", "date", "on", "since", "until", "geboren", "née", "ne"],
        .ipAddress: ["ip", "address", "server", "host", "from", "client"],
        .macAddress: ["mac", "device", "hardware", "address"],
        .url: ["url", "link", "site", "website", "visit", "see", "at", "go"],
        .person: [
            "name", "mr", "mrs", "ms", "dr", "dear", "hi", "hello", "thanks", "regards", "signed", "contact", "customer",
            "patient", "from", "by", "called", "ask", "spoke", "with", "met", "and", "cc", "to", "for"
        ],
        .streetAddress: ["live", "lives", "address", "at", "located", "ship", "deliver", "moved", "street", "home"],
        .crypto: ["wallet", "btc", "bitcoin", "eth", "ethereum", "address", "send", "crypto"]
    ]

    /// The findings in `text`, ordered by start.
    public func detect(_ text: String) -> [PIIFinding] {
        var copy = text
        return copy.withUTF8 { detect(utf8: $0) }
    }

    /// The findings in UTF-8 bytes (which must be valid UTF-8), ordered by start.
    public func detect(utf8 bytes: UnsafeBufferPointer<UInt8>) -> [PIIFinding] {
        var scratch = PIIScratch()
        detect(utf8: bytes, scratch: &scratch)
        return scratch.findings
    }

    /// The findings in UTF-8 bytes, left in `scratch.findings`: for many short texts in a row (a stream
    /// of lines), the buffers are reused and nothing is allocated per text.
    public func detect(utf8 bytes: UnsafeBufferPointer<UInt8>, scratch: inout PIIScratch) {
        let t = ScanText(bytes: bytes)
        let ascii = scan(t, into: &scratch.all, kept: &scratch.kept)
        resolve(&scratch.kept, accepted: &scratch.accepted)
        Self.withOffsets(scratch.accepted, in: bytes, ascii: ascii, into: &scratch.findings)
    }

    /// Byte classes of the dispatcher: which recognizers a token starting with this byte can begin.
    static let byteClass: [UInt8] = (0..<256).map { b -> UInt8 in
        switch b {
        case 0x30...0x39: 1  // digit
        case 0x41...0x5A: 2  // uppercase
        case 0x61...0x7A: 3  // lowercase
        case 0x2B, 0x28: 4  // + (: phone
        case 0x3A: 5  // :: of IPv6
        case 0xC3...0xC5: 6  // a Latin letter with a diacritic (À–ſ) may start a name
        default: 0
        }
    }

    /// 1 for ASCII letters and digits.
    static let alnumTable: [UInt8] = (0..<256).map { ScanText.isAlnum(UInt8($0)) ? 1 : 0 }

    /// Every recognizer's candidates, context applied and thresholded, overlaps not yet resolved. One
    /// pass over the bytes: at each token start (no ASCII letter or digit before it) only the
    /// recognizers that can begin with that byte are asked, each resuming where its last look ended.
    /// Returns whether the text is all ASCII (then byte offsets are scalar and UTF-16 offsets too).
    func scan(_ t: ScanText, into all: inout [Candidate], kept: inout [Candidate]) -> Bool {
        if !all.isEmpty { all.removeAll(keepingCapacity: true) }
        if !kept.isEmpty { kept.removeAll(keepingCapacity: true) }
        let types = mask
        let email = types.contains(.email), url = types.contains(.url), card = types.contains(.creditCard)
        let iban = types.contains(.iban), ssn = types.contains(.usSSN), phone = types.contains(.phone)
        let date = types.contains(.date), network = types.contains(.ipAddress) || types.contains(.macAddress)
        let crypto = types.contains(.crypto), person = types.contains(.person), address = types.contains(.streetAddress)
        var nEmail = 0, nURL = 0, nCard = 0, nIBAN = 0, nSSN = 0, nPhone = 0, nDate = 0, nNetwork = 0, nCrypto = 0, nPerson = 0, nAddress = 0
        let bytes = t.bytes, count = t.count
        let byteClass = Self.byteClass, contextWords = Self.contextWords, alnumTable = Self.alnumTable
        return alnumTable.withUnsafeBufferPointer { alnumBuffer in
            let alnum = alnumBuffer.baseAddress!
            var i = 0
            var highBytes: UInt8 = 0
            while i < count {
                let b = bytes[i]
                highBytes |= b
                if b == 0x40 {
                    if email && i >= nEmail { nEmail = EmailRecognizer.match(t, at: i, into: &all) }
                    i += 1
                    continue
                }
                let kind = byteClass[Int(b)]
                if kind == 0 || (i > 0 && alnum[Int(bytes[i - 1])] != 0) { i += 1; continue }
                var wordEnd = i + 1
                switch kind {
                case 1:
                    // The digit run and the bytes after it decide which recognizers can match here at all;
                    // the others are skipped to where they would have resumed.
                    let d = t.digitRun(from: i), run = d - i
                    let after = t[d], separated = ScanText.isDigit(t[d + 1]) && (after == 0x20 || after == 0x2D || after == 0x2E || after == 0x2F)
                    var a = d
                    while a < count, alnum[Int(bytes[a])] != 0 { a += 1 }
                    wordEnd = a
                    if card && i >= nCard {
                        if run >= 13 || (separated && after != 0x2E && after != 0x2F) { nCard = CardRecognizer.match(t, at: i, into: &all) } else { nCard = d }
                    }
                    if ssn && i >= nSSN {
                        if (run == 3 && separated && (after == 0x20 || after == 0x2D)) || run == 9 {
                            nSSN = SSNRecognizer.match(t, at: i, into: &all)
                        } else {
                            nSSN = d
                        }
                    }
                    if phone && i >= nPhone {
                        if separated || run == 10 || run == 11 { nPhone = PhoneRecognizer.match(t, at: i, into: &all) } else { nPhone = d }
                    }
                    if date && i >= nDate {
                        if (separated && after != 0x20) || (run <= 2 && (after == 0x20 || ScanText.isASCIILetter(after))) {
                            nDate = DateRecognizer.match(t, at: i, into: &all)
                        } else {
                            nDate = d
                        }
                    }
                    if network && i >= nNetwork {
                        if after == 0x2E || after == 0x3A || after == 0x2D || ScanText.isHex(after) {
                            nNetwork = NetworkAddressRecognizer.match(t, at: i, into: &all)
                        } else {
                            nNetwork = a
                        }
                    }
                    if address && i >= nAddress && run <= 5 && (after == 0x20 || after == 0x2D || ScanText.isASCIILetter(after)) {
                        nAddress = StreetAddressRecognizer.match(t, at: i, word: nil, into: &all)
                    }
                    if crypto && i >= nCrypto && (b == 0x30 || b == 0x31 || b == 0x33) {
                        if (b == 0x30 && after == 0x78) || (b != 0x30 && (26...35).contains(a - i)) {
                            nCrypto = CryptoWalletRecognizer.match(t, at: i, into: &all)
                        } else {
                            nCrypto = a
                        }
                    }
                case 2, 3:
                    var a = i + 1
                    while a < count, alnum[Int(bytes[a])] != 0 { a += 1 }
                    wordEnd = a
                    let after = t[a]
                    // A URL starts with a scheme or www (h, f, w), or is a bare domain: a word followed by a dot.
                    if url && i >= nURL {
                        let lower = b | 0x20
                        var e = a
                        while e < count, ScanText.isAlnum(bytes[e]) || bytes[e] == 0x2D { e += 1 }
                        if lower == 0x68 || lower == 0x66 || lower == 0x77 || (e < count && bytes[e] == 0x2E) {
                            nURL = URLRecognizer.match(t, at: i, into: &all)
                        }
                    }
                    // IPv6 and MAC addresses that start with a letter: at most four hex digits, then : - or .
                    if network && i >= nNetwork && ScanText.isHex(b) {
                        var hex = true
                        if a - i <= 4 { for k in i..<a where !ScanText.isHex(bytes[k]) { hex = false; break } }
                        if a - i <= 4 && hex && (after == 0x3A || after == 0x2D || after == 0x2E) {
                            nNetwork = NetworkAddressRecognizer.match(t, at: i, into: &all)
                        } else {
                            nNetwork = a
                        }
                    }
                    if crypto && i >= nCrypto && (b | 0x20) == 0x62 {
                        if (14...74).contains(a - i) { nCrypto = CryptoWalletRecognizer.match(t, at: i, into: &all) } else { nCrypto = a }
                    }
                    if kind == 2 {
                        if iban && i >= nIBAN { nIBAN = IBANRecognizer.match(t, at: i, into: &all) }
                        // The word is read once for the three recognizers that walk words.
                        let wantsDate = date && i >= nDate, wantsPerson = person && i >= nPerson, wantsAddress = address && i >= nAddress
                        if wantsDate || wantsPerson || wantsAddress {
                            let word = t.word(at: i)
                            if wantsDate { nDate = DateRecognizer.match(t, at: i, word: word, into: &all) }
                            if wantsPerson { nPerson = NameRecognizer.match(t, at: i, word: word, into: &all) }
                            if wantsAddress { nAddress = StreetAddressRecognizer.match(t, at: i, word: word, into: &all) }
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
                if kind <= 3 { i = max(i, wordEnd) }
            }
            for var c in all where types.contains(c.type) {
                if c.score < 1, c.score + contextBoost >= threshold, t.precededByWord(in: contextWords[c.type.ordinal], before: c.start, limit: 48, maximum: 5)
                {
                    c.score = min(1, c.score + contextBoost)
                }
                if c.score >= threshold { kept.append(c) }
            }
            return highBytes < 0x80
        }
    }

    /// Non-overlapping candidates: best first (score, length, type priority, start), then by start.
    /// Sorts `candidates` best first and leaves the non-overlapping ones, by start, in `accepted`.
    func resolve(_ candidates: inout [Candidate], accepted: inout [Candidate]) {
        if !accepted.isEmpty { accepted.removeAll(keepingCapacity: true) }
        if candidates.count <= 1 { accepted.append(contentsOf: candidates); return }
        candidates.sort { a, b in
            if a.score != b.score { return a.score > b.score }
            if a.end - a.start != b.end - b.start { return a.end - a.start > b.end - b.start }
            if a.type.priority != b.type.priority { return a.type.priority < b.type.priority }
            return a.start < b.start
        }
        for c in candidates where !accepted.contains(where: { $0.start < c.end && c.start < $0.end }) { accepted.append(c) }
        accepted.sort { $0.start < $1.start }
    }

    /// Byte ranges turned into Unicode scalar and UTF-16 offsets, in one walk over the bytes.
    static func withOffsets(_ candidates: [Candidate], in bytes: UnsafeBufferPointer<UInt8>, ascii: Bool, into findings: inout [PIIFinding]) {
        if !findings.isEmpty { findings.removeAll(keepingCapacity: true) }
        if ascii {
            for c in candidates {
                findings.append(
                    PIIFinding(
                        type: c.type, start: c.start, end: c.end, utf16Start: c.start, utf16End: c.end,
                        byteStart: c.start, byteEnd: c.end, score: c.score))
            }
            return
        }
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
            findings.append(
                PIIFinding(
                    type: c.type, start: s, end: scalars, utf16Start: s16, utf16End: utf16,
                    byteStart: c.start, byteEnd: c.end, score: c.score))
        }
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
    public var ordinal: Int {
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

/// Buffers a detector reuses from one text to the next (`PIIDetector.detect(utf8:scratch:)`).
public struct PIIScratch: Sendable {
    var all: [Candidate] = []
    var kept: [Candidate] = []
    var accepted: [Candidate] = []
    /// The findings of the last text scanned, ordered by start.
    public internal(set) var findings: [PIIFinding] = []

    public init() {}
}
