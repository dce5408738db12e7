#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads one string field of a JSON object line without parsing the rest into objects: the fast path
/// of `tact detect --jsonl`, where JSON parsing would otherwise cost more than the detection.
/// Handles every JSON escape (\n, \", \\, \/, \b, \f, \r, \t, \uXXXX with surrogate pairs) and skips
/// nested values; malformed input is an error naming what is wrong.
public enum JSONStringField {
    public struct Failure: Error, Equatable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// The decoded UTF-8 bytes of top-level field `name` of the object in `line`; nil if the object has no such field.
    public static func value(of name: String, in line: UnsafeBufferPointer<UInt8>) throws -> [UInt8]? {
        try locate(name, in: line)?.value
    }

    /// The field's decoded value and the byte range of its JSON string (quotes included) in `line`.
    public static func locate(_ name: String, in line: UnsafeBufferPointer<UInt8>) throws -> (value: [UInt8], range: Range<Int>)? {
        var value: [UInt8] = []
        guard let range = try locate(name, in: line, into: &value) else { return nil }
        return (value, range)
    }

    /// Decodes the field into `value` (emptied first, its storage reused) and returns the byte range of
    /// its JSON string in `line`; nil if the object has no such field.
    public static func locate(_ name: String, in line: UnsafeBufferPointer<UInt8>, into value: inout [UInt8]) throws -> Range<Int>? {
        var bytes = name
        return try bytes.withUTF8 { key in try locate(key: key, name: name, in: line, into: &value, copyPlain: true) }
    }

    /// Calls `body` with the decoded bytes of field `name` (empty when the object has no such field).
    /// A value without escapes (the usual case) is handed over in place, inside `line`, without a copy;
    /// one with escapes is decoded into `scratch`.
    public static func withValue<R>(
        of name: String, in line: UnsafeBufferPointer<UInt8>, scratch: inout [UInt8],
        _ body: (UnsafeBufferPointer<UInt8>) throws -> R
    ) throws -> R {
        var bytes = name
        let range = try bytes.withUTF8 { key in try locate(key: key, name: name, in: line, into: &scratch, copyPlain: false) }
        if let range, scratch.isEmpty, range.count >= 2 {
            return try body(UnsafeBufferPointer(rebasing: line[(range.lowerBound + 1)..<(range.upperBound - 1)]))
        }
        if range == nil { scratch.removeAll(keepingCapacity: true) }
        return try scratch.withUnsafeBufferPointer(body)
    }

    /// `locate` with the field name's bytes at hand (a native string's own storage: nothing is copied per line).
    /// With `copyPlain` false, a value without escapes is not copied into `value` (left empty).
    private static func locate(
        key: UnsafeBufferPointer<UInt8>, name: String, in line: UnsafeBufferPointer<UInt8>, into value: inout [UInt8],
        copyPlain: Bool
    ) throws -> Range<Int>? {
        if !value.isEmpty { value.removeAll(keepingCapacity: true) }
        var i = skipSpace(line, 0)
        guard i < line.count, line[i] == 0x7B else { throw Failure(message: "the line is not a JSON object") }
        i += 1
        while true {
            i = skipSpace(line, i)
            guard i < line.count else { throw Failure(message: "the object is not closed") }
            if line[i] == 0x7D { return nil }
            guard line[i] == 0x22 else { throw Failure(message: "expected a field name at byte \(i + 1)") }
            // A name without escapes (the usual case) is compared in place; one with escapes is decoded.
            var isKey: Bool
            var close = i + 1
            while close < line.count, line[close] != 0x22, line[close] != 0x5C { close += 1 }
            if close < line.count, line[close] == 0x22 {
                isKey = close - i - 1 == key.count && (key.isEmpty || memcmp(key.baseAddress!, line.baseAddress! + i + 1, key.count) == 0)
                i = close + 1
            } else {
                var fieldName: [UInt8] = []
                i = try string(line, i, into: &fieldName)
                isKey = fieldName.elementsEqual(key)
            }
            i = skipSpace(line, i)
            guard i < line.count, line[i] == 0x3A else { throw Failure(message: "expected ':' at byte \(i + 1)") }
            i = skipSpace(line, i + 1)
            guard i < line.count else { throw Failure(message: "a value is missing at the end") }
            if isKey {
                guard line[i] == 0x22 else { throw Failure(message: "field \"\(name)\" is not a string") }
                let end = try string(line, i, into: &value, copyPlain: copyPlain)
                return i..<end
            }
            i = try skipValue(line, i)
            i = skipSpace(line, i)
            guard i < line.count else { throw Failure(message: "the object is not closed") }
            if line[i] == 0x2C { i += 1; continue }
            if line[i] == 0x7D { return nil }
            throw Failure(message: "expected ',' or '}' at byte \(i + 1)")
        }
    }

    static func skipSpace(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int {
        var i = i
        while i < b.count, b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0A || b[i] == 0x0D { i += 1 }
        return i
    }

    /// Decodes the string starting at the quote at `i`; returns the index after its closing quote.
    /// With `copyPlain` false, a string without escapes is not copied (`out` is left as it was).
    static func string(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, into out: inout [UInt8], copyPlain: Bool = true) throws -> Int {
        var i = start + 1
        var first = true
        while i < b.count {
            // Plain bytes up to the next quote or backslash go over in one copy (memchr finds the quote).
            let quote = memchr(b.baseAddress! + i, 0x22, b.count - i).map { UnsafeRawPointer($0) - UnsafeRawPointer(b.baseAddress!) } ?? b.count
            let slash = memchr(b.baseAddress! + i, 0x5C, quote - i).map { UnsafeRawPointer($0) - UnsafeRawPointer(b.baseAddress!) }
            if first, !copyPlain, slash == nil, quote < b.count { return quote + 1 }
            first = false
            let j = slash ?? quote
            if j > i { out.append(contentsOf: b[i..<j]); i = j }
            guard i < b.count else { break }
            let c = b[i]
            if c == 0x22 { return i + 1 }
            if c == 0x5C {
                guard i + 1 < b.count else { break }
                let e = b[i + 1]
                switch e {
                case 0x22, 0x5C, 0x2F: out.append(e)
                case 0x62: out.append(0x08)
                case 0x66: out.append(0x0C)
                case 0x6E: out.append(0x0A)
                case 0x72: out.append(0x0D)
                case 0x74: out.append(0x09)
                case 0x75:
                    var scalar = try hex4(b, i + 2)
                    i += 6
                    if (0xD800..<0xDC00).contains(scalar), i + 5 < b.count, b[i] == 0x5C, b[i + 1] == 0x75 {
                        let low = try hex4(b, i + 2)
                        if (0xDC00..<0xE000).contains(low) {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                            i += 6
                        }
                    }
                    let s = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                    out.append(contentsOf: Array(String(s).utf8))
                    continue
                default:
                    throw Failure(message: "invalid escape \\\(Character(Unicode.Scalar(e))) at byte \(i + 1)")
                }
                i += 2
                continue
            }
            out.append(c)
            i += 1
        }
        throw Failure(message: "a string is not closed")
    }

    static func hex4(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) throws -> UInt32 {
        guard i + 4 <= b.count else { throw Failure(message: "a \\u escape is cut short") }
        var v: UInt32 = 0
        for k in 0..<4 {
            let c = b[i + k]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x41...0x46: d = UInt32(c - 0x41 + 10)
            case 0x61...0x66: d = UInt32(c - 0x61 + 10)
            default: throw Failure(message: "invalid \\u escape at byte \(i + k + 1)")
            }
            v = v << 4 | d
        }
        return v
    }

    /// Skips any JSON value starting at `i`.
    static func skipValue(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) throws -> Int {
        var i = i
        if b[i] == 0x22 { var sink: [UInt8] = []; return try string(b, i, into: &sink, copyPlain: false) }
        if b[i] == 0x7B || b[i] == 0x5B {
            var depth = 0
            while i < b.count {
                switch b[i] {
                case 0x22: var sink: [UInt8] = []; i = try string(b, i, into: &sink, copyPlain: false); continue
                case 0x7B, 0x5B: depth += 1
                case 0x7D, 0x5D: depth -= 1; if depth == 0 { return i + 1 }
                default: break
                }
                i += 1
            }
            throw Failure(message: "a nested value is not closed")
        }
        while i < b.count, b[i] != 0x2C, b[i] != 0x7D, b[i] != 0x5D, b[i] != 0x20 { i += 1 }
        return i
    }
}
