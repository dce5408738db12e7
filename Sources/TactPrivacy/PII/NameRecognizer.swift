import Foundation

/// Person names: two or three capitalized words where the first is a known first name (1990 US Census
/// lists, public domain), with middle initials and surname particles ("van der", "de", "O'"); a
/// surname from the Census list raises the score. A title (Mr, Mrs, Ms, Dr, Prof…) before capitalized
/// words marks a name too, the title itself left out of the span. First names that are also common
/// words (May, Will, Rose…) need a listed surname after them.
enum NameRecognizer {
    static let firstNames = hashes(NameLists.firstNames)
    static let surnames = hashes(NameLists.surnames)
    static let titles = WordHash.set([
        "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame", "madam", "herr", "frau", "mme", "mlle", "sr", "sra", "signor", "signora"
    ])
    static let particles = WordHash.set([
        "van", "von", "der", "den", "de", "du", "da", "di", "del", "della", "dos", "das", "la", "le", "ter", "ten", "zu", "bin", "al"
    ])
    /// First names that are everyday words: only a listed surname after them makes a name.
    static let ambiguousFirst = WordHash.set([
        "will", "may", "june", "april", "august", "rose", "mark", "bill", "art", "grant", "don", "joy", "hope", "faith", "dawn",
        "summer", "guy", "ray", "rich", "sue", "pat", "page", "chase", "lane", "long", "young", "brown", "green", "white", "king",
        "case", "love", "sunny", "star", "price", "miles", "ivy", "holly", "crystal", "ruby", "pearl", "jewel", "gay", "chance",
        "major", "mason", "sky", "storm", "winter", "autumn", "spring", "angel", "precious", "golden", "cash", "sale", "van",
        "dean", "norman", "german", "france", "paris", "london", "georgia", "virginia", "carolina", "florida", "india",
        "china", "jordan", "kenya", "israel", "sydney", "victoria", "christian", "justice", "honor", "royal", "tuesday"
    ])
    /// Capitalized words that are not surnames even when the Census lists them.
    static let notSurnames = WordHash.set([
        "the", "and", "or", "of", "in", "on", "at", "to", "for", "with", "from", "by", "is", "was", "street", "avenue", "road",
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march", "april",
        "may", "june", "july", "august", "september", "october", "november", "december", "please", "thanks", "thank", "hello",
        "dear", "hi", "team", "support", "customer", "service", "account", "order", "card", "bank", "inc", "ltd", "llc", "corp",
        "university", "hospital", "school", "company", "group", "center", "centre", "park", "lake", "river", "north", "south",
        "east", "west", "new", "old", "city", "county", "state", "i", "a", "an", "it", "he", "she", "we", "they", "you", "my",
        "garden", "hall", "house", "day", "night", "power", "street", "square", "station", "airport", "club", "bar", "cafe"
    ])

    /// The hashes of the words of a list (lowercase, separated by spaces and newlines), read as bytes.
    static func hashes(_ list: String) -> HashSet64 {
        var set: [UInt64] = []
        set.reserveCapacity(100_000)
        var h = WordHash.offset, empty = true
        for b in list.utf8 {
            if b == 0x20 || b == 0x0A {
                if !empty { set.append(h) }
                h = WordHash.offset; empty = true
            } else {
                h = WordHash.add(h, b); empty = false
            }
        }
        if !empty { set.append(h) }
        return HashSet64(set)
    }

    /// Tries a match at the token start `i`; returns where this recognizer may look next.
    static func match(_ t: ScanText, at i: Int, word: Word?, into out: inout [Candidate]) -> Int {
        guard t[i - 1] < 0x80, let first = word else { return i + 1 }
        // A name goes on after its first word: a space, or the dot of a title ("Dr.").
        let following = t[first.end]
        guard first.capitalized, following == 0x20 || following == 0x2E else { return first.end }
        if titles.contains(first.hash) {
            var after = first.end
            if t[after] == 0x2E { after += 1 }
            if let next = t.nextWord(after: after), next.capitalized, !notSurnames.contains(next.hash) {
                let end = extend(t, from: next)
                out.append(Candidate(type: .person, start: next.start, end: end, score: 0.8))
                return end
            }
            return first.end
        }
        let isFirstName = firstNames.contains(first.hash)
        if isFirstName, let (end, lastKnown) = surnameAfter(t, first) {
            let ambiguous = ambiguousFirst.contains(first.hash)
            if !ambiguous || lastKnown {
                out.append(Candidate(type: .person, start: first.start, end: end, score: lastKnown ? 0.85 : 0.65))
                return end
            }
        } else if !isFirstName, following == 0x20, mayStartSurname(t[first.end + 1]), !notSurnames.contains(first.hash),
            let (end, lastKnown) = surnameAfter(t, first), lastKnown
        {
            // Two capitalized words, the second a listed surname: a name whose first name the lists lack.
            out.append(Candidate(type: .person, start: first.start, end: end, score: 0.45))
            return end
        }
        return first.end
    }

    /// Whether a byte can begin what follows a first name: a capital, a Latin letter with a diacritic,
    /// or the first letter of a surname particle (de, van, la, ter, zu, bin, al).
    @inline(__always) static func mayStartSurname(_ b: UInt8) -> Bool {
        ScanText.isUpper(b) || (b >= 0xC3 && b <= 0xC5) || b == 0x64 || b == 0x76 || b == 0x6C || b == 0x74 || b == 0x7A || b == 0x62 || b == 0x61
    }

    /// After a first name: optional middle name or initial, optional particles, then a capitalized
    /// surname. Returns the end and whether the surname is a listed one.
    static func surnameAfter(_ t: ScanText, _ first: Word) -> (Int, Bool)? {
        var cursor = first.end
        // A middle initial: " F."
        if t[cursor] == 0x20, ScanText.isUpper(t[cursor + 1]), t[cursor + 2] == 0x2E, t[cursor + 3] == 0x20 { cursor += 3 }
        guard var next = t.nextWord(after: cursor) else { return nil }
        // A middle name that is itself a first name, followed by another capitalized word.
        if next.capitalized, firstNames.contains(next.hash), !surnames.contains(next.hash), let after = t.nextWord(after: next.end), after.capitalized,
            !notSurnames.contains(after.hash)
        {
            next = after
        }
        var particlesSeen = 0
        while !next.capitalized, particles.contains(next.hash), particlesSeen < 2, let after = t.nextWord(after: next.end) {
            next = after
            particlesSeen += 1
        }
        guard next.capitalized, !notSurnames.contains(next.hash), next.end - next.start >= 2 else { return nil }
        return (next.end, surnames.contains(next.hash))
    }

    /// A name after a title: one or two capitalized words (with particles).
    static func extend(_ t: ScanText, from word: Word) -> Int {
        var end = word.end
        if let next = t.nextWord(after: end), next.capitalized, !notSurnames.contains(next.hash) { end = next.end }
        return end
    }
}
