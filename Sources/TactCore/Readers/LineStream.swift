#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file (or standard input, "-") read line by line in 1 MiB chunks: memory holds one chunk and the
/// line being assembled, never the whole input. Lines are handed over as UTF-8 bytes without their
/// line ending (LF or CRLF).
public final class LineStream {
    private let file: ChunkedFile

    public init(path: String) throws {
        file = try ChunkedFile(path: path == "-" ? "/dev/stdin" : path)
    }

    /// Calls `body(line, lineNumber)` for each line, numbers from 1.
    public func forEachLine(_ body: (UnsafeBufferPointer<UInt8>, Int) throws -> Void) throws {
        var buffer: [UInt8] = []
        var lineNumber = 0
        var start = 0
        var atEnd = false
        while !atEnd {
            // Move the unfinished line to the front, then read more after it.
            if start > 0 { buffer.removeFirst(start); start = 0 }
            let scanFrom = buffer.count
            atEnd = try file.read(appendingTo: &buffer) == 0
            try buffer.withUnsafeBufferPointer { b in
                var i = scanFrom
                while i < b.count {
                    // The next newline, found by memchr (vectorized in the C library).
                    guard let found = memchr(b.baseAddress! + i, 0x0A, b.count - i) else { break }
                    i = UnsafeRawPointer(found) - UnsafeRawPointer(b.baseAddress!)
                    var end = i
                    if end > start, b[end - 1] == 0x0D { end -= 1 }
                    lineNumber += 1
                    try body(UnsafeBufferPointer(rebasing: b[start..<end]), lineNumber)
                    start = i + 1
                    i += 1
                }
                if atEnd, start < b.count {
                    var end = b.count
                    if b[end - 1] == 0x0D { end -= 1 }
                    lineNumber += 1
                    try body(UnsafeBufferPointer(rebasing: b[start..<end]), lineNumber)
                    start = b.count
                }
            }
        }
    }
}
