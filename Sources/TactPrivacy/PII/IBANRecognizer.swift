/// International bank account numbers: a country code, two check digits and the account part, compact
/// or in groups of four separated by single spaces, with the length that country's IBAN has and the
/// ISO 13616 mod-97 check (the remainder must be 1).
enum IBANRecognizer {
    /// IBAN lengths per country (ISO 13616 registry).
    static let lengths: [String: Int] = [
        "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BR": 29, "BY": 28, "CH": 21,
        "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FO": 18, "FR": 27,
        "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26,
        "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MD": 24,
        "ME": 22, "MK": 19, "MR": 27, "MT": 31, "MU": 30, "NL": 18, "NO": 15, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29,
        "RO": 24, "RS": 22, "SA": 24, "SC": 31, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "ST": 25, "SV": 28, "TL": 23, "TN": 24,
        "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20
    ]

    /// `lengths` indexed by the country code's two letters (26 × 26), so a lookup builds no string.
    static let byCode: [Int?] = {
        var table = [Int?](repeating: nil, count: 26 * 26)
        for (code, length) in lengths {
            let b = Array(code.utf8)
            table[Int(b[0] - 0x41) * 26 + Int(b[1] - 0x41)] = length
        }
        return table
    }()

    /// Tries a match at the token start `i`; returns where this recognizer may look next.
    static func match(_ t: ScanText, at i: Int, into out: inout [Candidate]) -> Int {
        guard i + 15 <= t.count, ScanText.isUpper(t.bytes[i]), ScanText.isUpper(t[i + 1]), t.isDigit(at: i + 2), t.isDigit(at: i + 3) else { return i + 1 }
        guard let length = byCode[Int(t.bytes[i] - 0x41) * 26 + Int(t.bytes[i + 1] - 0x41)] else { return i + 2 }
        // Collect alphanumerics, allowing single spaces between groups of four.
        var chars: [UInt8] = [], j = i, end = i
        chars.reserveCapacity(length)
        var sinceSpace = 0
        while j < t.count, chars.count < length {
            let b = t.bytes[j]
            if ScanText.isDigit(b) || ScanText.isUpper(b) {
                chars.append(b); j += 1; sinceSpace += 1; end = j
            } else if b == 0x20, sinceSpace == 4, ScanText.isAlnum(t[j + 1]) {
                j += 1; sinceSpace = 0
            } else {
                break
            }
        }
        if chars.count == length, t.boundaryAfter(end), mod97(chars) == 1 {
            out.append(Candidate(type: .iban, start: i, end: end, score: 1.0))
            return end
        }
        return i + 2
    }

    /// The IBAN check: the first four characters moved to the end, letters as 10–35, the number mod 97.
    static func mod97(_ chars: [UInt8]) -> Int {
        var remainder = 0
        for b in chars[4...] + chars[0..<4] {
            if ScanText.isDigit(b) {
                remainder = (remainder * 10 + Int(b - 0x30)) % 97
            } else {
                remainder = (remainder * 100 + Int(b - 0x41 + 10)) % 97
            }
        }
        return remainder
    }
}
