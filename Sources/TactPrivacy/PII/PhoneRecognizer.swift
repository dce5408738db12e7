/// Phone numbers: international (+CC …, 8–15 digits, E.164's limit), North American ((415) 555-2671,
/// 415-555-2671, 415.555.2671, 1-415-…), and national forms that start with a trunk 0 (020 7946 0958,
/// 030 123456, 01 23 45 67 89). Digit groups are separated by single spaces, dashes, dots or slashes.
/// Shapes that are dates (2024-03-01) or IPv4 addresses are left to their recognizers; bare digit
/// runs score low and need a context word ("phone", "call") to count.
enum PhoneRecognizer {
    /// Tries a match at the token start `i`; returns where this recognizer may look next.
    static func match(_ t: ScanText, at i: Int, into out: inout [Candidate]) -> Int {
        let b = t.bytes[i]
        let startsHere = (b == 0x2B && t.isDigit(at: i + 1)) || (b == 0x28 && t.isDigit(at: i + 1)) || ScanText.isDigit(b)
        guard startsHere, t[i - 1] != 0x2B, !(t[i - 1] == 0x2E && t.isDigit(at: i - 2)) else { return i + 1 }
        let end = parse(t, from: i) ?? i
        return max(i + 1, end)

        func parse(_ t: ScanText, from start: Int) -> Int? {
            var j = start
            let international = t[j] == 0x2B
            if international { j += 1 }
            var groups = DigitGroups()
            var parenthesized = false
            if t[j] == 0x28 {
                let close = t.digitRun(from: j + 1)
                guard t[close] == 0x29, close - j - 1 >= 1, close - j - 1 <= 4 else { return nil }
                groups.add(close - j - 1)
                parenthesized = true
                j = close + 1
                if t[j] == 0x20 || t[j] == 0x2D { groups.separator(t[j]); j += 1 }
                guard t.isDigit(at: j) else { return nil }
            }
            while true {
                let run = t.digitRun(from: j)
                guard run > j else { break }
                groups.add(run - j)
                j = run
                let s = t[j]
                // "+44 (0)20 …": a parenthesized trunk zero inside an international number.
                if international, s == 0x20, t[j + 1] == 0x28, t[j + 2] == 0x30, t[j + 3] == 0x29 { j += 4; if t[j] == 0x20 { j += 1 }; continue }
                if (s == 0x20 || s == 0x2D || s == 0x2E || s == 0x2F) && t.isDigit(at: j + 1) && groups.digits < 15 {
                    groups.separator(s)
                    j += 1
                } else {
                    break
                }
            }
            let end = j
            let digits = groups.digits
            guard t.boundaryAfter(end), !(t[end] == 0x2E && t.isDigit(at: end + 1)), !(t[end] == 0x2D && t.isDigit(at: end + 1)) else { return end }
            // Shapes owned by other recognizers.
            if groups.dotted && groups.count == 4 && groups.longest <= 3 { return end }  // IPv4
            if groups.count == 3 && !international && !parenthesized && !groups.spaced
                && DigitGroups.dateShapes.contains(groups.lengths)
            {
                return end
            }  // dates
            if groups.slashed && !international { return end }
            var score = 0.0
            if international {
                if (8...15).contains(digits) { score = groups.count > 1 ? 0.75 : 0.6 }
            } else if parenthesized {
                if digits == 10 && groups.first == 3 { score = 0.7 }
            } else if digits == 10 && groups.count == 3 && groups.lengths == DigitGroups.northAmerican
                || digits == 11 && groups.count == 4 && groups.lengths == DigitGroups.northAmericanWithCountry && t[start] == 0x31
            {
                score = 0.65
            } else if t[start] == 0x30 && (9...11).contains(digits) && groups.count >= 2 && groups.shortest >= 2 {
                score = 0.5
            } else if groups.count == 1 && (10...11).contains(digits) {
                score = 0.3
            }
            if score > 0 { out.append(Candidate(type: .phone, start: start, end: end, score: score)) }
            return end
        }
    }
}

/// The digit groups of a number-like run, without an array: lengths packed four bits each (the first
/// sixteen groups; longer lengths count as 15), their total, and which separators appeared.
struct DigitGroups {
    var count = 0, digits = 0, first = 0, shortest = Int.max, longest = 0
    var lengths: UInt64 = 0
    var dotted = false, slashed = false, spaced = false

    mutating func add(_ length: Int) {
        if count == 0 { first = length }
        if count < 16 { lengths |= UInt64(min(length, 15)) << (4 * UInt64(count)) }
        count += 1
        digits += length
        shortest = min(shortest, length)
        longest = max(longest, length)
    }

    mutating func separator(_ s: UInt8) {
        if s == 0x2E { dotted = true } else if s == 0x2F { slashed = true } else if s == 0x20 { spaced = true }
    }

    static let dateShapes = [pack(4, 2, 2), pack(2, 2, 4), pack(1, 2, 4), pack(2, 1, 4), pack(1, 1, 4)]
    static let northAmerican = pack(3, 3, 4), northAmericanWithCountry = pack(1, 3, 3, 4)

    static func pack(_ lengths: Int...) -> UInt64 {
        var v: UInt64 = 0
        for (k, l) in lengths.enumerated() { v |= UInt64(l) << (4 * UInt64(k)) }
        return v
    }
}
