import ArgumentParser
import Crypto
import Foundation
import TactCore
import TactPrivacy

/// Flags `tact detect` and `tact redact` share.
struct PIIOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("The input: a file, or - for standard input.", valueName: "FILE")) var input = "-"
    @Flag(help: "The input is JSON Lines: scan one string field of each object (--field).") var jsonl = false
    @Option(help: "With --jsonl: the field to scan.") var field = "text"
    @Option(help: "Types to look for, comma-separated (default: all): EMAIL, PHONE, CREDIT_CARD, IBAN, IP_ADDRESS, MAC_ADDRESS, US_SSN, URL, DATE, CRYPTO, PERSON, STREET_ADDRESS.") var types: String?
    @Option(help: "Findings scoring below this are ignored.") var threshold = 0.5
    @Option(name: .shortAndLong, help: ArgumentHelp("Write here instead of standard output.", valueName: "FILE")) var output: String?

    /// Where the results go: the --output file (created or truncated) or standard output.
    func destination() throws -> BufferedOutput {
        guard let output else { return BufferedOutput() }
        guard FileManager.default.createFile(atPath: output, contents: nil), let handle = FileHandle(forWritingAtPath: output) else {
            throw ValidationError("--output \(output) cannot be written; check the folder exists and is writable")
        }
        return BufferedOutput(handle: handle)
    }

    func detector() throws -> PIIDetector {
        var selected = Set(PIIType.allCases)
        if let types {
            selected = []
            for name in types.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !name.isEmpty {
                guard let t = PIIType(name: name) else {
                    throw ValidationError("--types: unknown type '\(name)'; use \(PIIType.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                selected.insert(t)
            }
        }
        guard (0...1).contains(threshold) else { throw ValidationError("--threshold must be between 0 and 1") }
        return PIIDetector(types: selected, threshold: threshold)
    }
}

/// Standard output through a 256 KiB buffer: one write per buffer, not per line. A value type held
/// in a local variable, so appending costs no dynamic exclusivity check. Call `flush()` at the end.
struct BufferedOutput {
    private var buffer: [UInt8] = []
    private let handle: FileHandle

    init(handle: FileHandle = .standardOutput) {
        self.handle = handle
        buffer.reserveCapacity(1 << 18)
    }

    mutating func write(_ bytes: some Sequence<UInt8>) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 18 { flush() }
    }

    mutating func write(_ text: String) { write(text.utf8) }

    /// A non-negative integer in decimal.
    mutating func writeInteger(_ value: Int) {
        var v = value, divisor = 1
        while divisor <= v / 10 { divisor *= 10 }
        repeat { buffer.append(UInt8(v / divisor) + 0x30); v %= divisor; divisor /= 10 } while divisor > 0
    }

    /// A value in [0, 1] with two decimals: 0.85, 1.00.
    mutating func writeHundredths(_ value: Double) {
        let h = Int((value * 100).rounded())
        writeInteger(h / 100)
        buffer.append(0x2E)
        buffer.append(UInt8(h % 100 / 10) + 0x30)
        buffer.append(UInt8(h % 10) + 0x30)
    }

    mutating func flush() {
        guard !buffer.isEmpty else { return }
        handle.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }
}

/// The key of the hash and encrypt operators: TACT_PII_KEY (64 hex digits) or a key file of mode 0600.
func piiKey(file: String?) throws -> SymmetricKey? {
    var text: String?
    if let file {
        let attributes = try FileManager.default.attributesOfItem(atPath: file)
        if let mode = attributes[.posixPermissions] as? Int, mode & 0o077 != 0 {
            throw ValidationError("--key-file \(file) is readable by others (mode \(String(mode, radix: 8))); run chmod 600 \(file)")
        }
        text = try String(contentsOfFile: file, encoding: .utf8)
    } else {
        text = ProcessInfo.processInfo.environment["TACT_PII_KEY"]
    }
    guard let hex = text?.trimmingCharacters(in: .whitespacesAndNewlines), !hex.isEmpty else { return nil }
    guard hex.count == 64, let bytes = hexBytes(hex) else {
        throw ValidationError("the PII key must be 64 hex digits (32 bytes); make one with: openssl rand -hex 32")
    }
    return SymmetricKey(data: bytes)
}

private func hexBytes(_ hex: String) -> [UInt8]? {
    var out: [UInt8] = []
    var iterator = hex.makeIterator()
    while let a = iterator.next(), let b = iterator.next() {
        guard let v = UInt8(String([a, b]), radix: 16) else { return nil }
        out.append(v)
    }
    return out
}

/// A JSON string literal of `bytes` (valid UTF-8), escaped.
func jsonStringLiteral(_ bytes: some Sequence<UInt8>) -> [UInt8] {
    var out: [UInt8] = [0x22]
    for b in bytes {
        switch b {
        case 0x22: out += [0x5C, 0x22]
        case 0x5C: out += [0x5C, 0x5C]
        case 0x0A: out += [0x5C, 0x6E]
        case 0x0D: out += [0x5C, 0x72]
        case 0x09: out += [0x5C, 0x74]
        case 0..<0x20: out += Array(String(format: "\\u%04x", b).utf8)
        default: out.append(b)
        }
    }
    out.append(0x22)
    return out
}
