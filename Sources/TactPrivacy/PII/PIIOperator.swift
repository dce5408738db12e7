import Crypto
import Foundation

/// Key material for the hash and encrypt operators, without exposing a CryptoKit type to callers
/// that only pass it along.
public struct SymmetricKeyMaterial: Sendable {
    public let key: SymmetricKey
    public init(_ key: SymmetricKey) { self.key = key }
}

/// What to put in place of a finding.
public enum PIIOperator: String, Sendable, CaseIterable, Codable {
    /// Removed: nothing is left.
    case redact
    /// The type tag: `<EMAIL>`.
    case replace
    /// Every letter and digit but the last four becomes `*` (separators stay): `****-****-****-1111`.
    case mask
    /// A keyed pseudonym, `<EMAIL:1f3a…>`: HMAC-SHA256 of the value under the key, so the same value gets
    /// the same pseudonym across documents and runs under one key, and cannot be reversed without it.
    case hash
    /// Reversible: `<EMAIL:enc:…>` holds the value sealed with AES-256-GCM under the key; `PIIRedactor.decrypt` restores it.
    case encrypt
}

/// Errors of the reversible operators.
public enum PIIOperatorError: Error, Equatable, CustomStringConvertible {
    case missingKey
    case undecryptable(String)

    public var description: String {
        switch self {
        case .missingKey: "the hash and encrypt operators need a key: set TACT_PII_KEY (64 hex digits) or pass --key-file FILE (mode 0600)"
        case .undecryptable(let token): "\(token.prefix(24))… cannot be decrypted with this key (wrong key, or the token was altered)"
        }
    }
}

/// Applies operators to the findings of a text, per type.
public struct PIIRedactor: Sendable {
    public var detector: PIIDetector
    /// The operator per type; types not listed use `defaultOperator`.
    public var operators: [PIIType: PIIOperator]
    public var defaultOperator: PIIOperator
    /// The 256-bit key of `hash` and `encrypt` (HMAC and AES-GCM use keys derived from it).
    public var key: SymmetricKey?

    public init(
        detector: PIIDetector = PIIDetector(), defaultOperator: PIIOperator = .replace, operators: [PIIType: PIIOperator] = [:], key: SymmetricKey? = nil
    ) {
        self.detector = detector
        self.defaultOperator = defaultOperator
        self.operators = operators
        self.key = key
    }

    /// `text` with every finding replaced, and the findings.
    public func redact(_ text: String) throws -> (text: String, findings: [PIIFinding]) {
        var copy = text
        return try copy.withUTF8 { bytes in
            let findings = detector.detect(utf8: bytes)
            return (try apply(findings, to: bytes), findings)
        }
    }

    /// The bytes with `findings` (byte ranges into them, ordered, not overlapping) replaced.
    public func apply(_ findings: [PIIFinding], to bytes: UnsafeBufferPointer<UInt8>) throws -> String {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count + findings.count * 16)
        var cursor = 0
        for f in findings {
            out.append(contentsOf: bytes[cursor..<f.byteStart])
            let value = Array(bytes[f.byteStart..<f.byteEnd])
            out.append(contentsOf: try replacement(for: value, type: f.type, operator: operators[f.type] ?? defaultOperator))
            cursor = f.byteEnd
        }
        out.append(contentsOf: bytes[cursor...])
        return String(decoding: out, as: UTF8.self)
    }

    func replacement(for value: [UInt8], type: PIIType, operator op: PIIOperator) throws -> [UInt8] {
        switch op {
        case .redact:
            return []
        case .replace:
            return Array("<\(type.rawValue)>".utf8)
        case .mask:
            var masked = value
            var keep = 4
            for k in stride(from: masked.count - 1, through: 0, by: -1) where ScanText.isAlnum(masked[k]) || masked[k] >= 0x80 {
                if keep > 0 { if masked[k] & 0xC0 != 0x80 { keep -= 1 }; continue }
                masked[k] = masked[k] & 0xC0 == 0x80 ? 0 : 0x2A
            }
            return masked.filter { $0 != 0 }
        case .hash:
            guard let key else { throw PIIOperatorError.missingKey }
            let mac = HMAC<SHA256>.authenticationCode(for: value, using: Self.derived(key, "tact-pii-hash"))
            let hex = mac.prefix(10).map { String(format: "%02x", $0) }.joined()
            return Array("<\(type.rawValue):\(hex)>".utf8)
        case .encrypt:
            guard let key else { throw PIIOperatorError.missingKey }
            let sealed = try AES.GCM.seal(value, using: Self.derived(key, "tact-pii-encrypt"), authenticating: Array(type.rawValue.utf8))
            return Array("<\(type.rawValue):enc:\(Self.base64URL(sealed.combined!))>".utf8)
        }
    }

    /// `text` with every `<TYPE:enc:…>` token decrypted back to its value.
    public func decrypt(_ text: String) throws -> String {
        guard let key else { throw PIIOperatorError.missingKey }
        let encryptionKey = Self.derived(key, "tact-pii-encrypt")
        var result = ""
        var rest = Substring(text)
        while let open = rest.range(of: ":enc:") {
            guard let tagStart = rest[..<open.lowerBound].lastIndex(of: "<"), let close = rest[open.upperBound...].firstIndex(of: ">"),
                let type = PIIType(rawValue: String(rest[rest.index(after: tagStart)..<open.lowerBound]))
            else {
                result += rest[..<open.upperBound]
                rest = rest[open.upperBound...]
                continue
            }
            let token = String(rest[tagStart...close])
            guard let data = Self.fromBase64URL(String(rest[open.upperBound..<close])),
                let box = try? AES.GCM.SealedBox(combined: data),
                let plain = try? AES.GCM.open(box, using: encryptionKey, authenticating: Array(type.rawValue.utf8))
            else {
                throw PIIOperatorError.undecryptable(token)
            }
            result += rest[..<tagStart]
            result += String(decoding: plain, as: UTF8.self)
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }

    /// A key for one use, derived from the configured one (HKDF-SHA256), so hashing and encryption never share a key.
    static func derived(_ key: SymmetricKey, _ purpose: String) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(inputKeyMaterial: key, info: Array(purpose.utf8), outputByteCount: 32)
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func fromBase64URL(_ text: String) -> Data? {
        var s = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while s.count % 4 != 0 { s += "=" }
        return Data(base64Encoded: s)
    }
}
