/// Street addresses: a house number (221, 221B, 12-14) and one to four capitalized words ending in a
/// street type (Street, St., Avenue, Road, Boulevard…), with an optional direction (NW); the French,
/// Spanish and Italian order (12 rue de Rivoli, 5 Calle Mayor); and the German one (Hauptstraße 5,
/// Lindenweg 12a).
enum StreetAddressRecognizer {
    static let suffixes = WordHash.set([
        "street", "st", "avenue", "ave", "av", "road", "rd", "boulevard", "blvd", "lane", "ln", "drive", "dr", "court", "ct",
        "place", "pl", "way", "terrace", "square", "sq", "parkway", "pkwy", "highway", "hwy", "circle", "cir", "close", "crescent",
        "grove", "gardens", "row", "walk", "alley", "trail", "plaza", "mews", "hill", "park", "broadway"
    ])
    static let leadingTypes = WordHash.set([
        "rue", "avenue", "boulevard", "bd", "place", "chemin", "allee", "calle", "avenida", "plaza", "paseo", "via", "viale", "piazza", "corso", "rua", "largo"
    ])
    static let germanEndings: [StaticString] = [
        "strasse", "straße", "str", "weg", "gasse", "platz", "allee", "ring", "damm", "ufer", "straat", "laan", "gracht", "plein"
    ]
    static let directions = WordHash.set(["n", "s", "e", "w", "ne", "nw", "se", "sw"])
    static let lowerJoiners = WordHash.set(["de", "del", "du", "des", "la", "le", "di", "della", "dos", "da", "von", "of", "the"])

    /// Tries a match at the token start `i`; returns where this recognizer may look next.
    static func match(_ t: ScanText, at i: Int, word: Word?, into out: inout [Candidate]) -> Int {
        let b = t.bytes[i]
        if ScanText.isDigit(b), let end = numberFirst(t, i) {
            out.append(Candidate(type: .streetAddress, start: i, end: end, score: 0.7)); return end
        }
        if t[i - 1] < 0x80, let w = word {
            if let end = germanOrder(t, w) {
                out.append(Candidate(type: .streetAddress, start: i, end: end, score: 0.7)); return end
            }
            return w.end
        }
        return i + 1
    }

    /// "221B Baker Street", "1600 Pennsylvania Avenue NW", "12 rue de Rivoli".
    static func numberFirst(_ t: ScanText, _ i: Int) -> Int? {
        var j = t.digitRun(from: i)
        guard j - i <= 5 else { return nil }
        if t[j] == 0x2D, t.isDigit(at: j + 1) { j = t.digitRun(from: j + 1) }
        if ScanText.isASCIILetter(t[j]), !ScanText.isASCIILetter(t[j + 1]) { j += 1 }
        guard var word = t.nextWord(after: j) else { return nil }
        if leadingTypes.contains(word.hash) {
            // Romance order: the type first, then words (capitalized, or joiners).
            var end = word.end, named = 0
            while let next = t.nextWord(after: end), named < 5, next.capitalized || lowerJoiners.contains(next.hash) {
                end = next.end
                if next.capitalized { named += 1 }
            }
            return named > 0 ? end : nil
        }
        var words = 0
        while words < 4 {
            guard word.capitalized else { return nil }
            if words > 0, suffixes.contains(word.hash) {
                var end = word.end
                if t[end] == 0x2E { end += 1 }
                if let direction = t.nextWord(after: end), direction.capitalized || direction.end - direction.start <= 2,
                    directions.contains(direction.hash), !ScanText.isASCIILetter(t[direction.end])
                {
                    end = direction.end
                }
                return end
            }
            words += 1
            guard let next = t.nextWord(after: word.end) else { return nil }
            word = next
        }
        return nil
    }

    /// "Hauptstraße 5", "Lindenweg 12a", "Keizersgracht 123".
    static func germanOrder(_ t: ScanText, _ w: Word) -> Int? {
        // A number follows ("Hauptstraße 5", "Str. 5"): checked first, it rules out nearly every word.
        var j = w.end
        if t[j] == 0x2E { j += 1 }
        guard t[j] == 0x20, t.isDigit(at: j + 1), w.capitalized, germanEndings.contains(where: { t.word(w, endsWith: $0) }) else { return nil }
        var end = t.digitRun(from: j + 1)
        guard end - j - 1 <= 4 else { return nil }
        if ScanText.isASCIILetter(t[end]), !ScanText.isASCIILetter(t[end + 1]) { end += 1 }
        return t.boundaryAfter(end) ? end : nil
    }
}
