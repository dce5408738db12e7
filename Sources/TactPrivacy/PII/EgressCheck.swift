/// Checks what is about to leave the system (an HTTP response body, an export) for personal data that
/// must never appear in it, for example a raw e-mail address inside a recommendations response. The
/// body is scanned as it will be sent, JSON punctuation and all: the recognizers treat quotes and
/// braces as boundaries, so values inside JSON strings are found without parsing. What is found is
/// reported by type and replaced by its type tag in the returned body.
public struct EgressCheck: Sendable {
    public let detector: PIIDetector

    /// Types that must never leave in a response; names, dates and addresses are left out by default,
    /// since catalogs legitimately hold titles, release dates and venue addresses.
    public static let defaultTypes: Set<PIIType> = [.email, .phone, .creditCard, .iban, .usSSN, .crypto, .ipAddress, .macAddress]

    public init(types: Set<PIIType> = EgressCheck.defaultTypes, threshold: Double = 0.5) {
        detector = PIIDetector(types: types, threshold: threshold)
    }

    /// What the check found, and the body with it replaced (the same bytes when nothing was found).
    public struct Result: Sendable {
        public var findings: [PIIFinding]
        public var body: [UInt8]
        public var clean: Bool { findings.isEmpty }
        /// Counts per type, for an alert that explains itself.
        public var counts: [PIIType: Int] {
            var c: [PIIType: Int] = [:]
            for f in findings { c[f.type, default: 0] += 1 }
            return c
        }
    }

    public func check(_ body: [UInt8]) -> Result {
        body.withUnsafeBufferPointer { bytes in
            let findings = detector.detect(utf8: bytes)
            guard !findings.isEmpty else { return Result(findings: [], body: body) }
            // The replace operator never throws (it needs no key).
            let redacted = (try? PIIRedactor(detector: detector, defaultOperator: .replace).apply(findings, to: bytes)) ?? ""
            return Result(findings: findings, body: Array(redacted.utf8))
        }
    }
}
