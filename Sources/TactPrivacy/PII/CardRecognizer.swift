/// Payment card numbers: 13–19 digits, optionally in groups separated by single spaces or dashes (one
/// kind of separator per number), with a known issuer prefix and length, and a valid Luhn check digit.
enum CardRecognizer {
    static func scan(_ t: ScanText, into out: inout [Candidate]) {
        var i = 0
        var digits = [UInt8](repeating: 0, count: 20)
        var ends = [(end: Int, digits: Int)](repeating: (0, 0), count: 20)
        while i < t.count {
            let first = t.bytes[i]
            guard ScanText.isDigit(first), t.boundaryBefore(i) else { i += 1; continue }
            var count = 0, endCount = 0
            var separator: UInt8 = 0
            var j = i, lastDigitEnd = i
            while j < t.count, count < 20 {
                let b = t.bytes[j]
                if ScanText.isDigit(b) {
                    digits[count] = b - 0x30
                    count += 1
                    j += 1
                    lastDigitEnd = j
                    if !t.isDigit(at: j) { ends[endCount] = (j, count); endCount += 1 }
                } else if (b == 0x20 || b == 0x2D) && (separator == 0 || separator == b) && t.isDigit(at: j + 1) && j == lastDigitEnd {
                    separator = b
                    j += 1
                } else {
                    break
                }
            }
            // The longest group boundary that makes a valid card, ending at a word boundary. Issuers'
            // numbers start with 2–6, so other runs are only skipped (never searched inside).
            var k = first &- 0x32 < 5 ? endCount - 1 : -1
            while k >= 0 {
                let (end, n) = ends[k]
                k -= 1
                guard (13...19).contains(n), t.boundaryAfter(end), !(t[end] == 0x2E && t.isDigit(at: end + 1)) else { continue }
                let number = Array(digits[0..<n])
                if hasIssuerPrefix(number) && luhn(number) {
                    out.append(Candidate(type: .creditCard, start: i, end: end, score: 1.0))
                    break
                }
            }
            i = max(i + 1, j)
        }
    }

    /// The Luhn (mod 10) check.
    static func luhn(_ digits: [UInt8]) -> Bool {
        var sum = 0
        for (k, d) in digits.reversed().enumerated() {
            var v = Int(d)
            if k % 2 == 1 { v *= 2; if v > 9 { v -= 9 } }
            sum += v
        }
        return sum % 10 == 0
    }

    /// Visa, Mastercard, American Express, Discover, JCB, Diners Club and UnionPay prefixes with their lengths.
    static func hasIssuerPrefix(_ d: [UInt8]) -> Bool {
        func prefix(_ n: Int) -> Int { d.prefix(n).reduce(0) { $0 * 10 + Int($1) } }
        let n = d.count
        switch d[0] {
        case 4: return n == 13 || n == 16 || n == 19                                   // Visa
        case 5: return (51...55).contains(prefix(2)) && n == 16                        // Mastercard
        case 2: return (2221...2720).contains(prefix(4)) && n == 16                     // Mastercard 2-series
        case 3:
            if [34, 37].contains(prefix(2)) { return n == 15 }                          // American Express
            if (3528...3589).contains(prefix(4)) { return (16...19).contains(n) }       // JCB
            if [36, 38, 39].contains(prefix(2)) || (300...305).contains(prefix(3)) { return (14...19).contains(n) } // Diners
            return false
        case 6:
            if prefix(4) == 6011 || prefix(2) == 65 || (644...649).contains(prefix(3)) { return (16...19).contains(n) } // Discover
            if prefix(2) == 62 { return (16...19).contains(n) }                         // UnionPay
            return false
        default: return false
        }
    }
}
