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
    @Option(
        help:
            "Types to look for, comma-separated (default: all): EMAIL, PHONE, CREDIT_CARD, IBAN, IP_ADDRESS, MAC_ADDRESS, US_SSN, URL, DATE, CRYPTO, PERSON, STREET_ADDRESS."
    ) var types: String?
    @Option(help: "Findings scoring below this are ignored.") var threshold = 0.5
    @Option(name: .shortAndLong, help: ArgumentHelp("Write here instead of standard output.", valueName: "FILE")) var output: String?

    func validate() throws {
        guard (0...1).contains(threshold) else { throw ValidationError("--threshold must be between 0 and 1") }
    }

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
        return PIIDetector(types: selected, threshold: threshold)
    }
}

/// Standard output through a 256 KiB buffer: one write per buffer, not per line. The bytes go
/// straight into raw memory (no array growth checks, no reference counting per write); a value type
/// held in a local variable, so appending costs no dynamic exclusivity check. Call `flush()` at the end.
struct BufferedOutput {
    private static let capacity = 1 << 18
    /// Owns the memory, so that it is freed when the last copy of the output goes.
    private final class Storage {
        let base = UnsafeMutablePointer<UInt8>.allocate(capacity: BufferedOutput.capacity)
        deinit { base.deallocate() }
    }
    private let storage = Storage()
    private let base: UnsafeMutablePointer<UInt8>
    private var count = 0
    private let handle: FileHandle

    init(handle: FileHandle = .standardOutput) {
        self.handle = handle
        base = storage.base
    }

    mutating func write(_ bytes: UnsafeRawBufferPointer) {
        if count + bytes.count > Self.capacity {
            flush()
            if bytes.count > Self.capacity { handle.write(Data(bytes)); return }
        }
        if let source = bytes.baseAddress { (base + count).update(from: source.assumingMemoryBound(to: UInt8.self), count: bytes.count) }
        count += bytes.count
    }

    mutating func write(_ bytes: some Sequence<UInt8>) {
        if bytes.withContiguousStorageIfAvailable({ write(UnsafeRawBufferPointer($0)) }) != nil { return }
        for b in bytes { append(b) }
    }

    mutating func write(_ text: String) {
        var text = text
        text.withUTF8 { write(UnsafeRawBufferPointer($0)) }
    }

    mutating func append(_ byte: UInt8) {
        if count == Self.capacity { flush() }
        base[count] = byte
        count += 1
    }

    /// A non-negative integer in decimal.
    mutating func writeInteger(_ value: Int) {
        if count + 20 > Self.capacity { flush() }
        var v = value, digits = 1
        while v >= 10 { v /= 10; digits += 1 }
        v = value
        var k = count + digits
        repeat { k -= 1; base[k] = UInt8(v % 10) + 0x30; v /= 10 } while v > 0
        count += digits
    }

    /// A value in [0, 1] with two decimals: 0.85, 1.00.
    mutating func writeHundredths(_ value: Double) {
        let h = Int((value * 100).rounded())
        writeInteger(h / 100)
        append(0x2E)
        append(UInt8(h % 100 / 10) + 0x30)
        append(UInt8(h % 10) + 0x30)
    }

    mutating func flush() {
        guard count > 0 else { return }
        handle.write(Data(bytes: base, count: count))
        count = 0
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
