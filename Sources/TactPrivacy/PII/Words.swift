/// A word of letters (ASCII or not, with inner apostrophes and hyphens) inside a text, and whether it
/// is capitalized. What the name and address recognizers walk over. Words are compared by a 64-bit
/// hash of their folded form (lowercase, Latin diacritics removed: "Müller" and "muller" hash alike),
/// so no string is built per word.
struct Word {
    var start: Int
    var end: Int
    var capitalized: Bool
    var hash: UInt64
}

/// Folding and hashing of words: FNV-1a over the folded bytes.
enum WordHash {
    static let offset: UInt64 = 0xCBF2_9CE4_8422_2325
    static let prime: UInt64 = 0x0000_0100_0000_01B3

    /// Base letters of U+00C0…U+00FF and of U+0100…U+017F (Latin-1 and Latin Extended-A); "x" for ×, ÷.
    static let latin1: [UInt8] = Array("aaaaaaaceeeeiiiidnoooooxouuuuytsaaaaaaaceeeeiiiidnoooooxouuuuyty".utf8)
    static let latinA: [UInt8] = Array(
        "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiijjjjkkkllllllllllnnnnnnnnnoooooooorrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs".utf8)

    @inline(__always) static func add(_ h: UInt64, _ b: UInt8) -> UInt64 { (h ^ UInt64(b)) &* prime }

    /// The hash of a plain lowercase ASCII word (for the lists).
    static func of(_ word: String) -> UInt64 { word.utf8.reduce(offset) { add($0, $1 | 0x20) } }
    static func set(_ words: some Sequence<String>) -> HashSet64 { HashSet64(words.map(of)) }
}

extension ScanText {
    /// The word starting at `i` (which must be a letter at a word start), or nil.
    func word(at i: Int) -> Word? {
        guard i < count else { return nil }
        var j = i
        var h = WordHash.offset
        while j < count {
            let b = bytes[j]
            if ScanText.isASCIILetter(b) { h = WordHash.add(h, b | 0x20); j += 1; continue }
            if b == 0xC3, j + 1 < count, bytes[j + 1] >= 0x80, bytes[j + 1] < 0xC0, bytes[j + 1] != 0x97, bytes[j + 1] != 0xB7 {
                h = WordHash.add(h, WordHash.latin1[Int(bytes[j + 1] - 0x80)]); j += 2; continue
            }
            if b == 0xC4 || b == 0xC5, j + 1 < count, bytes[j + 1] >= 0x80, bytes[j + 1] < 0xC0 {
                h = WordHash.add(h, WordHash.latinA[Int(b - 0xC4) * 64 + Int(bytes[j + 1] - 0x80)]); j += 2; continue
            }
            if b >= 0xC6, let (scalar, length) = scalar(at: j), scalar.properties.isAlphabetic {
                for k in 0..<length { h = WordHash.add(h, bytes[j + k]) }
                j += length
                continue
            }
            if (b == 0x27 || b == 0x2D) && j > i && j + 1 < count && (ScanText.isASCIILetter(bytes[j + 1]) || bytes[j + 1] >= 0xC0) {
                h = WordHash.add(h, b); j += 1; continue
            }
            break
        }
        guard j > i else { return nil }
        let first = bytes[i]
        let capitalized: Bool
        if ScanText.isUpper(first) {
            capitalized = true
        } else if first == 0xC3 {
            capitalized = bytes[i + 1] < 0xA0 && bytes[i + 1] != 0x97
        } else if first == 0xC4 || first == 0xC5 {
            capitalized = bytes[i + 1] & 1 == 0
        }  // Latin Extended-A alternates upper, lower (nearly)
        else if first >= 0xC6, let (s, _) = scalar(at: i) {
            capitalized = s.properties.isUppercase
        } else {
            capitalized = false
        }
        return Word(start: i, end: j, capitalized: capitalized, hash: h)
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

    /// The word after `end` when only spaces separate them.
    func nextWord(after end: Int) -> Word? {
        var j = end
        guard j < count, bytes[j] == 0x20 else { return nil }
        while j < count, bytes[j] == 0x20 { j += 1 }
        return word(at: j)
    }

    /// Whether the word's bytes end with `suffix` (ASCII, compared ignoring case).
    func word(_ w: Word, endsWith suffix: StaticString) -> Bool {
        let n = suffix.utf8CodeUnitCount
        guard w.end - w.start > n + 2 else { return false }
        return matches(suffix, at: w.end - n)
    }

    /// Whether one of the `maximum` lowercase ASCII words among the `limit` bytes before `end` is in `words`.
    func precededByWord(in words: HashSet64, before end: Int, limit: Int, maximum: Int) -> Bool {
        var seen = 0
        var i = end - 1
        let floor = max(0, end - limit)
        while i >= floor, seen < maximum {
            while i >= floor, !ScanText.isASCIILetter(bytes[i]) { i -= 1 }
            var j = i
            while j >= floor, ScanText.isASCIILetter(bytes[j]) { j -= 1 }
            if i > j {
                var h = WordHash.offset
                for k in (j + 1)...i { h = WordHash.add(h, bytes[k] | 0x20) }
                if words.contains(h) { return true }
                seen += 1
            }
            i = j
        }
        return false
    }
}
