import Foundation

/// A word of letters (ASCII or not, with inner apostrophes and hyphens) inside a text, and whether it
/// is capitalized. What the name and address recognizers walk over.
struct Word {
    var start: Int
    var end: Int
    var capitalized: Bool
    /// Lowercased, with diacritics removed ("Müller" → "muller"), for list lookups.
    var folded: String
}

extension ScanText {
    /// The word starting at `i` (which must be a letter at a word start), or nil.
    func word(at i: Int) -> Word? {
        guard i < count, ScanText.isASCIILetter(bytes[i]) || bytes[i] >= 0xC0 else { return nil }
        var j = i
        var ascii = true
        while j < count {
            let b = bytes[j]
            if ScanText.isASCIILetter(b) { j += 1; continue }
            if b >= 0x80 {
                // A non-ASCII scalar: a letter unless it is punctuation (quotes, dashes: U+2000–U+206F) or a symbol.
                guard let (scalar, length) = scalar(at: j), scalar.properties.isAlphabetic else { break }
                ascii = false
                j += length
                continue
            }
            if (b == 0x27 || b == 0x2D) && j > i && j + 1 < count && (ScanText.isASCIILetter(bytes[j + 1]) || bytes[j + 1] >= 0xC0) { j += 1; continue }
            break
        }
        guard j > i else { return nil }
        let capitalized: Bool
        if ScanText.isUpper(bytes[i]) { capitalized = true }
        else if bytes[i] >= 0xC0, let (s, _) = scalar(at: i) { capitalized = s.properties.isUppercase }
        else { capitalized = false }
        var folded: String
        if ascii {
            folded = String(decoding: UnsafeBufferPointer(rebasing: bytes[i..<j]).map { $0 | 0x20 }, as: UTF8.self)
        } else {
            folded = String(decoding: UnsafeBufferPointer(rebasing: bytes[i..<j]), as: UTF8.self)
                .folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil)
        }
        return Word(start: i, end: j, capitalized: capitalized, folded: folded)
    }

    /// The Unicode scalar encoded at `i`, with its length in bytes.
    func scalar(at i: Int) -> (Unicode.Scalar, Int)? {
        let b = bytes[i]
        let length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1
        guard i + length <= count else { return nil }
        var value = UInt32(length == 1 ? b : b & (0xFF >> (length + 1)))
        for k in 1..<length { value = value << 6 | UInt32(bytes[i + k] & 0x3F) }
        return Unicode.Scalar(value).map { ($0, length) }
    }

    /// The next word start at or after `i` on the same line, skipping only spaces (and, with `dots`, a dot after an initial).
    func nextWord(after end: Int) -> Word? {
        var j = end
        guard j < count, bytes[j] == 0x20 else { return nil }
        while j < count, bytes[j] == 0x20 { j += 1 }
        return word(at: j)
    }
}
