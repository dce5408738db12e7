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
            var groups: [Int] = [], separators: [UInt8] = []
            var parenthesized = false
            if t[j] == 0x28 {
                let close = t.digitRun(from: j + 1)
                guard t[close] == 0x29, close - j - 1 >= 1, close - j - 1 <= 4 else { return nil }
                groups.append(close - j - 1)
                parenthesized = true
                j = close + 1
                if t[j] == 0x20 || t[j] == 0x2D { separators.append(t[j]); j += 1 }
                guard t.isDigit(at: j) else { return nil }
            }
            while true {
                let run = t.digitRun(from: j)
                guard run > j else { break }
                groups.append(run - j)
                j = run
                let s = t[j]
                // "+44 (0)20 …": a parenthesized trunk zero inside an international number.
                if international, s == 0x20, t[j + 1] == 0x28, t[j + 2] == 0x30, t[j + 3] == 0x29 { j += 4; if t[j] == 0x20 { j += 1 }; continue }
                if (s == 0x20 || s == 0x2D || s == 0x2E || s == 0x2F) && t.isDigit(at: j + 1) && groups.reduce(0, +) < 15 {
                    separators.append(s)
                    j += 1
                } else {
                    break
                }
            }
            let end = j
            let digits = groups.reduce(0, +)
            guard t.boundaryAfter(end), !(t[end] == 0x2E && t.isDigit(at: end + 1)), !(t[end] == 0x2D && t.isDigit(at: end + 1)) else { return end }
            let dotted = separators.contains(0x2E), slashed = separators.contains(0x2F)
            // Shapes owned by other recognizers.
            if dotted && groups.count == 4 && groups.allSatisfy({ $0 <= 3 }) { return end }               // IPv4
            if groups.count == 3 && !international && !parenthesized && (separators.allSatisfy { $0 != 0x20 })
                && (groups == [4, 2, 2] || groups == [2, 2, 4] || groups == [1, 2, 4] || groups == [2, 1, 4] || groups == [1, 1, 4]) { return end } // dates
            if slashed && !international { return end }
            var score = 0.0
            if international {
                if (8...15).contains(digits) { score = groups.count > 1 ? 0.75 : 0.6 }
            } else if parenthesized {
                if digits == 10 && groups.first == 3 { score = 0.7 }
            } else if digits == 10 && groups == [3, 3, 4] || digits == 11 && groups == [1, 3, 3, 4] && t[start] == 0x31 {
                score = 0.65
            } else if t[start] == 0x30 && (9...11).contains(digits) && groups.count >= 2 && groups.allSatisfy({ $0 >= 2 }) {
                score = 0.5
            } else if groups.count == 1 && (10...11).contains(digits) {
                score = 0.3
            }
            if score > 0 { out.append(Candidate(type: .phone, start: start, end: end, score: score)) }
            return end
        }
    }
}
