/// Streams records from a delimited text file (CSV with RFC 4180 quoting, TSV, pipe-separated),
/// one chunk at a time. Tracks the line each record starts on for error messages.
public final class DelimitedRecordReader {
    public let path: String
    public let delimiter: UInt8
    /// Whether double quotes delimit fields (CSV). TSV and MovieLens files have no quoting.
    public let quoting: Bool
    public let encoding: TextEncoding
    /// Names used in error messages for each column, when known.
    public var columnNames: [String] = []
    /// The line on which the record last returned by `next()` started (1-based).
    public private(set) var recordLine = 0

    private let file: ChunkedFile
    private var buffer: [UInt8] = []
    private var position = 0
    private var atEnd = false
    private var line = 1

    /// `delimiter: nil` reads each line as a single field (JSON Lines).
    public init(path: String, delimiter: UInt8?, quoting: Bool, encoding: TextEncoding = .utf8, chunkSize: Int = 1 << 20) throws {
        self.path = path
        self.delimiter = delimiter ?? UInt8(ascii: "\n")
        self.quoting = quoting
        self.encoding = encoding
        self.file = try ChunkedFile(path: path, chunkSize: chunkSize)
        buffer.reserveCapacity(chunkSize * 2)
    }

    /// The next non-blank record's fields, or nil at the end of the file.
    public func next() throws -> [String]? {
        while true {
            switch try parse() {
            case .record(let fields, let end, let newlines):
                position = end
                recordLine = line
                line += newlines
                return fields
            case .blank(let end):
                position = end
                line += 1
            case .needMore:
                if atEnd { return nil }
                // Drop consumed bytes, then read another chunk.
                if position > 0 {
                    buffer.removeSubrange(0..<position)
                    position = 0
                }
                if try file.read(appendingTo: &buffer) == 0 { atEnd = true }
            }
        }
    }

    private enum Outcome {
        case record(fields: [String], end: Int, newlines: Int)
        case blank(end: Int)
        case needMore
    }

    private func fieldName(_ index: Int) -> String {
        index < columnNames.count ? columnNames[index] : "column \(index + 1)"
    }

    private func parse() throws -> Outcome {
        let newline = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r"), quote = UInt8(ascii: "\"")
        let delimiter = self.delimiter, quoting = self.quoting, atEnd = self.atEnd, start = position
        return try buffer.withUnsafeBufferPointer { buf -> Outcome in
            let n = buf.count
            if start >= n { return .needMore }
            // Blank line.
            if buf[start] == newline { return .blank(end: start + 1) }
            if buf[start] == cr, start + 1 < n, buf[start + 1] == newline { return .blank(end: start + 2) }
            if buf[start] == cr, start + 1 == n, atEnd { return .blank(end: n) }

            var fields: [String] = []
            var i = start
            var newlines = 0
            var scratch: [UInt8] = []
            while true {
                if quoting, i < n, buf[i] == quote {
                    // Quoted field: "" is an escaped quote; delimiters and line breaks are literal.
                    scratch.removeAll(keepingCapacity: true)
                    i += 1
                    var closed = false
                    while i < n {
                        let c = buf[i]
                        if c == quote {
                            if i + 1 < n, buf[i + 1] == quote { scratch.append(quote); i += 2; continue }
                            if i + 1 == n, !atEnd { return .needMore }
                            closed = true
                            i += 1
                            break
                        }
                        if c == newline { newlines += 1 }
                        scratch.append(c)
                        i += 1
                    }
                    if !closed {
                        if !atEnd { return .needMore }
                        throw InputError(
                            file: path, line: line, field: fieldName(fields.count), message: "a quoted field is never closed; add the closing double quote")
                    }
                    guard let s = scratch.withUnsafeBufferPointer({ encoding.decode($0) }) else {
                        throw InputError(
                            file: path, line: line + newlines, field: fieldName(fields.count), message: "is not valid UTF-8; convert the file to UTF-8")
                    }
                    fields.append(s)
                    if i < n, buf[i] == cr { i += 1 }
                    if i >= n {
                        if !atEnd { return .needMore }
                        return .record(fields: fields, end: i, newlines: newlines)
                    }
                    if buf[i] == delimiter { i += 1; continue }
                    if buf[i] == newline { return .record(fields: fields, end: i + 1, newlines: newlines + 1) }
                    throw InputError(
                        file: path, line: line + newlines, field: fieldName(fields.count - 1),
                        message: "unexpected text after a closing quote; quote the whole field and double any quote inside it")
                }
                // Unquoted field: up to the delimiter or the end of the line.
                let fieldStart = i
                while i < n, buf[i] != delimiter, buf[i] != newline { i += 1 }
                if i == n, !atEnd { return .needMore }
                var fieldEnd = i
                let endsLine = i == n || buf[i] == newline
                if endsLine, fieldEnd > fieldStart, buf[fieldEnd - 1] == cr { fieldEnd -= 1 }
                guard let s = encoding.decode(UnsafeBufferPointer(rebasing: buf[fieldStart..<fieldEnd])) else {
                    throw InputError(
                        file: path, line: line + newlines, field: fieldName(fields.count), message: "is not valid UTF-8; convert the file to UTF-8")
                }
                fields.append(s)
                if endsLine {
                    return .record(fields: fields, end: i == n ? n : i + 1, newlines: newlines + (i == n ? 0 : 1))
                }
                i += 1  // past the delimiter
            }
        }
    }
}
