/// The kinds of personal data the detector recognizes. Raw values are the names findings carry
/// (`"EMAIL"`, `"CREDIT_CARD"`…), the same as the benchmark corpus's labels.
public enum PIIType: String, CaseIterable, Sendable, Codable, Comparable {
    case email = "EMAIL"
    case phone = "PHONE"
    case creditCard = "CREDIT_CARD"
    case iban = "IBAN"
    case ipAddress = "IP_ADDRESS"
    case macAddress = "MAC_ADDRESS"
    case usSSN = "US_SSN"
    case url = "URL"
    case date = "DATE"
    case crypto = "CRYPTO"
    case person = "PERSON"
    case streetAddress = "STREET_ADDRESS"

    /// Which of two equally scored, equally long overlapping findings wins: validated structured
    /// types first (a checksum beats a pattern), then the rest.
    var priority: Int {
        switch self {
        case .creditCard, .iban, .crypto, .email: 0
        case .usSSN, .ipAddress, .macAddress: 1
        case .url, .date: 2
        case .phone: 3
        case .streetAddress: 4
        case .person: 5
        }
    }

    public static func < (a: PIIType, b: PIIType) -> Bool { a.rawValue < b.rawValue }

    /// A type from its name, case-insensitively, or nil.
    public init?(name: String) {
        guard let t = PIIType.allCases.first(where: { $0.rawValue.caseInsensitiveCompare(name) == .orderedSame }) else { return nil }
        self = t
    }
}

/// One piece of personal data found in a text.
public struct PIIFinding: Sendable, Equatable, Codable {
    public var type: PIIType
    /// Offsets into the text, end exclusive: in Unicode scalars (what JSON consumers and Python count),
    /// in UTF-16 code units (what JavaScript and NSString count), and in UTF-8 bytes.
    public var start: Int, end: Int
    public var utf16Start: Int, utf16End: Int
    public var byteStart: Int, byteEnd: Int
    /// Confidence in [0, 1]: validation (checksums, ranges) and context words raise it.
    public var score: Double

    public init(type: PIIType, start: Int, end: Int, utf16Start: Int, utf16End: Int, byteStart: Int, byteEnd: Int, score: Double) {
        self.type = type
        self.start = start
        self.end = end
        self.utf16Start = utf16Start
        self.utf16End = utf16End
        self.byteStart = byteStart
        self.byteEnd = byteEnd
        self.score = score
    }
}
