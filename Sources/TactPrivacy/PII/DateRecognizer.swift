/// Calendar dates: numeric (2024-03-01, 2024/03/01, 01/03/2024, 3/1/24, 01.03.2024, 01-03-2024) with
/// the day, month and year checked, and written (1 March 2024, 1st of March 2024, March 1, 2024,
/// Mar. 1 2024, March 2024). Next to "born", "birth" or "DOB" a date scores as a date of birth.
enum DateRecognizer {
    static let months: [(name: StaticString, number: Int)] = [
        ("january", 1), ("february", 2), ("march", 3), ("april", 4), ("may", 5), ("june", 6), ("july", 7),
        ("august", 8), ("september", 9), ("october", 10), ("november", 11), ("december", 12),
        ("sept", 9), ("jan", 1), ("feb", 2), ("mar", 3), ("apr", 4), ("jun", 6), ("jul", 7), ("aug", 8),
        ("sep", 9), ("oct", 10), ("nov", 11), ("dec", 12)
    ]

    /// Tries a match at the token start `i`; returns where this recognizer may look next.
    static func match(_ t: ScanText, at i: Int, word: Word? = nil, into out: inout [Candidate]) -> Int {
        let b = t.bytes[i]
        if ScanText.isDigit(b), t.boundaryBefore(i), !(t[i - 1] == 0x2E && t.isDigit(at: i - 2)) {
            if let end = numeric(t, i) ?? written(t, dayFirst: i) {
                out.append(Candidate(type: .date, start: i, end: end, score: 0.6))
                return end
            }
            return t.digitRun(from: i)
        }
        if ScanText.isUpper(b), let word, let end = written(t, monthFirst: word) {
            out.append(Candidate(type: .date, start: i, end: end, score: 0.6))
            return end
        }
        return i + 1
    }

    /// A numeric date starting at `i`: three digit groups with one separator (- / .), a valid day and month.
    static func numeric(_ t: ScanText, _ i: Int) -> Int? {
        let a = t.digitRun(from: i)
        guard a - i <= 4 else { return nil }
        let sep = t[a]
        guard sep == 0x2D || sep == 0x2F || sep == 0x2E, t.isDigit(at: a + 1) else { return nil }
        let b = t.digitRun(from: a + 1)
        guard t[b] == sep, t.isDigit(at: b + 1) else { return nil }
        let c = t.digitRun(from: b + 1)
        // An ISO 8601 time may follow ("2024-03-01T12:30:00Z"): the date ends before the T.
        let isoTime = t[c] == 0x54 && t.isDigit(at: c + 1)
        guard t.boundaryAfter(c) || isoTime, !(t[c] == sep && t.isDigit(at: c + 1)), !(t[c] == 0x2E && t.isDigit(at: c + 1)) else { return nil }
        let (la, lb, lc) = (a - i, b - a - 1, c - b - 1)
        guard la <= 4, lb <= 2, lc <= 4 else { return nil }
        let x = t.number(i, a), y = t.number(a + 1, b), z = t.number(b + 1, c)
        if la == 4 && lc <= 2 && lb >= 1 {  // year-month-day
            return validYear(x) && validDay(z, month: y) ? c : nil
        }
        if la <= 2 && (lc == 4 || (lc == 2 && sep != 0x2E)) {  // day-month-year or month-day-year
            let year = lc == 4 ? z : 2000 + z
            guard validYear(year) else { return nil }
            return validDay(x, month: y) || validDay(y, month: x) ? c : nil
        }
        return nil
    }

    /// "1 March 2024", "1st of March, 2024", "01 Mar 2024" starting at a day number.
    static func written(_ t: ScanText, dayFirst i: Int) -> Int? {
        var j = t.digitRun(from: i)
        guard j - i <= 2, t[j] == 0x20 || ScanText.isASCIILetter(t[j]) else { return nil }
        let day = t.number(i, j)
        j = skipOrdinal(t, j)
        guard t[j] == 0x20 else { return nil }
        j += 1
        if t.matches("of ", at: j) { j += 3 }
        guard let (month, after) = monthName(t, j), validDay(day, month: month) else { return nil }
        var k = after
        if t[k] == 0x2C { k += 1 }
        guard t[k] == 0x20, t.isDigit(at: k + 1) else { return nil }
        let y = t.digitRun(from: k + 1)
        guard y - k - 1 == 4, validYear(t.number(k + 1, y)), t.boundaryAfter(y) else { return nil }
        return y
    }

    /// "March 1, 2024", "Mar. 1st 2024", "March 2024" starting at a month name.
    static func written(_ t: ScanText, monthFirst word: Word) -> Int? {
        guard let (month, after) = monthName(t, word), t[after] == 0x20, t.isDigit(at: after + 1) else { return nil }
        let d = t.digitRun(from: after + 1)
        if d - after - 1 == 4 {  // month and year
            return validYear(t.number(after + 1, d)) && t.boundaryAfter(d) && month != 5 ? d : nil  // "May 2024" reads as a verb too often
        }
        guard d - after - 1 <= 2, validDay(t.number(after + 1, d), month: month) else { return nil }
        var k = skipOrdinal(t, d)
        if t[k] == 0x2C { k += 1 }
        guard t[k] == 0x20, t.isDigit(at: k + 1) else { return nil }
        let y = t.digitRun(from: k + 1)
        guard y - k - 1 == 4, validYear(t.number(k + 1, y)), t.boundaryAfter(y) else { return nil }
        return y
    }

    /// A month name (capitalized or not) at `i`, possibly abbreviated with a dot; its number and the end.
    /// The month names' word hashes, numbers and lengths.
    static let monthHashes: [(hash: UInt64, number: Int, length: Int)] = months.map { name, number in
        let text = name.withUTF8Buffer { String(decoding: $0, as: UTF8.self) }
        return (WordHash.of(text), number, text.utf8.count)
    }

    static func monthName(_ t: ScanText, _ i: Int) -> (Int, Int)? {
        // Every month name starts with one of j f m a s o n d: most words are rejected by their first letter.
        switch t[i] | 0x20 {
        case 0x6A, 0x66, 0x6D, 0x61, 0x73, 0x6F, 0x6E, 0x64: break
        default: return nil
        }
        guard let word = t.word(at: i) else { return nil }
        return monthName(t, word)
    }

    /// The month a word names (possibly abbreviated with a dot), and the end.
    static func monthName(_ t: ScanText, _ word: Word) -> (Int, Int)? {
        for month in monthHashes where month.hash == word.hash && month.length == word.end - word.start {
            var end = word.end
            if t[end] == 0x2E && month.length <= 4 { end += 1 }
            return (month.number, end)
        }
        return nil
    }

    static func skipOrdinal(_ t: ScanText, _ j: Int) -> Int {
        let a = t[j] | 0x20, b = t[j + 1] | 0x20
        let ordinal = (a == 0x73 && b == 0x74) || (a == 0x6E && b == 0x64) || (a == 0x72 && b == 0x64) || (a == 0x74 && b == 0x68)
        return ordinal && !ScanText.isASCIILetter(t[j + 2]) ? j + 2 : j
    }

    static func validYear(_ y: Int) -> Bool { (1900...2099).contains(y) }
    static func validDay(_ d: Int, month m: Int) -> Bool {
        guard (1...12).contains(m), d >= 1 else { return false }
        return d <= [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
    }
}
