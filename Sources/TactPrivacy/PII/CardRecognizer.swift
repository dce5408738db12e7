/// Payment card numbers: 13–19 digits, optionally in groups separated by single spaces or dashes (one
/// kind of separator per number), with a known issuer prefix and length, and a valid Luhn check digit.
enum CardRecognizer {
    /// Tries a match at the token start `i`; returns where this recognizer may look next.
    static func match(_ t: ScanText, at i: Int, into out: inout [Candidate]) -> Int {
        var digits: (UInt64, UInt64) = (0, 0)  // up to 20 digits, 4 bits each
        return withUnsafeTemporaryAllocation(of: (end: Int, digits: Int).self, capacity: 21) { ends in
            var endCount = 0
            let first = t.bytes[i]
            guard ScanText.isDigit(first) else { return i + 1 }
            var count = 0
            var separator: UInt8 = 0
            var j = i, lastDigitEnd = i
            while j < t.count, count < 20 {
                let b = t.bytes[j]
                if ScanText.isDigit(b) {
                    let d = UInt64(b - 0x30)
                    if count < 16 { digits.0 |= d << (4 * UInt64(count)) } else { digits.1 |= d << (4 * UInt64(count - 16)) }
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
            guard first &- 0x32 < 5, count >= 13 else { return max(i + 1, j) }
            var k = endCount - 1
            while k >= 0 {
                let (end, n) = ends[k]
                k -= 1
                guard (13...19).contains(n), t.boundaryAfter(end), !(t[end] == 0x2E && t.isDigit(at: end + 1)) else { continue }
                var number = [UInt8](repeating: 0, count: n)
                for p in 0..<n {
                    let word: UInt64 = p < 16 ? digits.0 : digits.1
                    let shift = UInt64(4 * (p % 16))
                    number[p] = UInt8(truncatingIfNeeded: (word >> shift) & 15)
                }
                if hasIssuerPrefix(number) && luhn(number) {
                    out.append(Candidate(type: .creditCard, start: i, end: end, score: 1.0))
                    break
                }
            }
            return max(i + 1, j)
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
        case 4: return n == 13 || n == 16 || n == 19  // Visa
        case 5: return (51...55).contains(prefix(2)) && n == 16  // Mastercard
        case 2: return (2221...2720).contains(prefix(4)) && n == 16  // Mastercard 2-series
        case 3:
            if [34, 37].contains(prefix(2)) { return n == 15 }  // American Express
            if (3528...3589).contains(prefix(4)) { return (16...19).contains(n) }  // JCB
            if [36, 38, 39].contains(prefix(2)) || (300...305).contains(prefix(3)) { return (14...19).contains(n) }  // Diners
            return false
        case 6:
            if prefix(4) == 6011 || prefix(2) == 65 || (644...649).contains(prefix(3)) { return (16...19).contains(n) }  // Discover
            if prefix(2) == 62 { return (16...19).contains(n) }  // UnionPay
            return false
        default: return false
        }
    }
}
