/// A text as UTF-8 bytes, with the byte tests every recognizer shares. Recognizers work on bytes, not
/// on Swift `String`s or regular expressions: that is what lets the detector scan tens of megabytes
/// per second on one core.
struct ScanText {
    let bytes: UnsafeBufferPointer<UInt8>
    var count: Int { bytes.count }

    @inline(__always) subscript(_ i: Int) -> UInt8 { i >= 0 && i < bytes.count ? bytes[i] : 0 }

    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }
    @inline(__always) static func isUpper(_ b: UInt8) -> Bool { b &- 0x41 < 26 }
    @inline(__always) static func isLower(_ b: UInt8) -> Bool { b &- 0x61 < 26 }
    @inline(__always) static func isASCIILetter(_ b: UInt8) -> Bool { (b | 0x20) &- 0x61 < 26 }
    @inline(__always) static func isHex(_ b: UInt8) -> Bool { isDigit(b) || (b | 0x20) &- 0x61 < 6 }
    @inline(__always) static func isAlnum(_ b: UInt8) -> Bool { isDigit(b) || isASCIILetter(b) }
    /// ASCII letters and digits: what structured values (numbers, addresses, domains) must not run into.
    /// Non-ASCII text is a boundary, so "電話は+81 3-1234-5678です" still yields the number.
    @inline(__always) static func isWord(_ b: UInt8) -> Bool { isAlnum(b) }

    @inline(__always) func isDigit(at i: Int) -> Bool { Self.isDigit(self[i]) }
    @inline(__always) func isWord(at i: Int) -> Bool { i >= 0 && i < count && Self.isWord(bytes[i]) }

    /// No word character right before `i`.
    @inline(__always) func boundaryBefore(_ i: Int) -> Bool { !isWord(at: i - 1) }
    /// No word character at `i` (the position right after a match).
    @inline(__always) func boundaryAfter(_ i: Int) -> Bool { !isWord(at: i) }

    /// The value of a run of at most 9 digits.
    func number(_ start: Int, _ end: Int) -> Int {
        var v = 0
        for i in start..<end { v = v * 10 + Int(bytes[i] - 0x30) }
        return v
    }

    /// The end of the run of digits starting at `i`.
    @inline(__always) func digitRun(from i: Int) -> Int {
        var j = i
        while j < count, Self.isDigit(bytes[j]) { j += 1 }
        return j
    }

    /// Whether the bytes at `i` equal `word` ignoring ASCII case.
    func matches(_ word: StaticString, at i: Int) -> Bool {
        let n = word.utf8CodeUnitCount
        guard i >= 0, i + n <= count else { return false }
        return word.withUTF8Buffer { w in
            for k in 0..<n where (bytes[i + k] | 0x20) != (w[k] | 0x20) { return false }
            return true
        }
    }

}

/// A match before overlaps are resolved: a byte range, a type and a score.
struct Candidate: Equatable {
    var type: PIIType
    var start: Int
    var end: Int
    var score: Double
}
