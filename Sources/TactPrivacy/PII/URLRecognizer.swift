/// URLs and domain names: anything from a scheme (http, https, ftp) or `www.` to the next space, less
/// trailing punctuation that ends a sentence (and an unbalanced closing bracket); and bare domain names
/// whose top-level domain is a known one (example.com, shop.example.co.uk/path?q=1), so that file
/// names (report.pdf) and abbreviations (e.g.) are not taken for domains.
enum URLRecognizer {
    static let topLevelDomains: Set<String> = [
        "com", "org", "net", "edu", "gov", "mil", "int", "io", "co", "ai", "app", "dev", "info", "biz", "me", "tv", "xyz",
        "online", "site", "shop", "store", "tech", "blog", "cloud", "news", "eu", "uk", "de", "fr", "es", "it", "nl", "be",
        "ch", "at", "se", "no", "dk", "fi", "pl", "pt", "ie", "cz", "gr", "hu", "ro", "ru", "ua", "tr", "us", "ca", "mx", "br",
        "ar", "cl", "au", "nz", "jp", "cn", "kr", "in", "sg", "hk", "tw", "za", "il", "ae", "sa", "eg", "ng", "ke", "ly", "gl", "to"
    ]

    /// Tries a match at the token start `i`; returns where this recognizer may look next.
    static func match(_ t: ScanText, at i: Int, into out: inout [Candidate]) -> Int {
        let b = t.bytes[i]
        guard ScanText.isASCIILetter(b), t[i - 1] != 0x40, t[i - 1] != 0x2E, t[i - 1] != 0x2F else { return i + 1 }
        let first = b | 0x20
        if (first == 0x68 || first == 0x66) && (t.matches("http://", at: i) || t.matches("https://", at: i) || t.matches("ftp://", at: i)) {
            let scheme = t.matches("https://", at: i) ? 8 : 7
            if let end = rest(t, from: i + scheme), end > i + scheme + 2 {
                out.append(Candidate(type: .url, start: i, end: end, score: 0.95)); return end
            }
        } else if first == 0x77, t.matches("www.", at: i), let host = domain(t, from: i, minimumLabels: 3) {
            let end = rest(t, from: host) ?? host
            out.append(Candidate(type: .url, start: i, end: end, score: 0.9)); return end
        } else if followedByDot(t, i), let host = domain(t, from: i, minimumLabels: 2, knownTopLevel: true), t[host] != 0x40 {
            let end = t[host] == 0x2F || t[host] == 0x3F || t[host] == 0x3A ? (rest(t, from: host) ?? host) : host
            out.append(Candidate(type: .url, start: i, end: end, score: 0.6)); return end
        }
        var j = i
        while j < t.count, ScanText.isWord(t.bytes[j]) || t.bytes[j] == 0x2E || t.bytes[j] == 0x2D { j += 1 }
        return max(j, i + 1)
    }

    /// Whether the word at `i` ends with a dot followed by a letter or digit: the only way a bare domain can start here.
    @inline(__always) static func followedByDot(_ t: ScanText, _ i: Int) -> Bool {
        var j = i
        while j < t.count, ScanText.isAlnum(t.bytes[j]) || t.bytes[j] == 0x2D { j += 1 }
        return t[j] == 0x2E && ScanText.isAlnum(t[j + 1])
    }

    /// The end of a domain name starting at `i` (labels of letters, digits and inner hyphens, separated
    /// by dots, the last 2–24 letters), or nil.
    static func domain(_ t: ScanText, from i: Int, minimumLabels: Int, knownTopLevel: Bool = false) -> Int? {
        var j = i, labels = 0, lastLabelStart = i, end = i
        while true {
            let s = j
            while j < t.count, ScanText.isAlnum(t.bytes[j]) || (t.bytes[j] == 0x2D && j > s && ScanText.isAlnum(t[j + 1])) { j += 1 }
            guard j > s, j - s <= 63 else { break }
            labels += 1
            lastLabelStart = s
            end = j
            guard t[j] == 0x2E, ScanText.isAlnum(t[j + 1]) else { break }
            j += 1
        }
        guard labels >= minimumLabels, t.boundaryAfter(end) || t[end] == 0x2F || t[end] == 0x3F || t[end] == 0x3A || t[end] == 0x23 else { return nil }
        let tldLength = end - lastLabelStart
        guard (2...24).contains(tldLength) else { return nil }
        for k in lastLabelStart..<end where !ScanText.isASCIILetter(t.bytes[k]) { return nil }
        if knownTopLevel {
            var tld = [UInt8]()
            for k in lastLabelStart..<end { tld.append(t.bytes[k] | 0x20) }
            guard topLevelDomains.contains(String(decoding: tld, as: UTF8.self)) else { return nil }
        }
        return end
    }

    /// The end of a URL's remainder from `i`: up to whitespace, less trailing sentence punctuation.
    static func rest(_ t: ScanText, from i: Int) -> Int? {
        var j = i, depth = 0
        while j < t.count {
            let b = t.bytes[j]
            if b <= 0x20 || b == 0x22 || b == 0x3C || b == 0x3E || b == 0x60 { break }
            if b == 0x28 { depth += 1 }
            if b == 0x29 { if depth == 0 { break }; depth -= 1 }
            j += 1
        }
        while j > i, [UInt8(0x2E), 0x2C, 0x3B, 0x3A, 0x21, 0x3F, 0x27, 0x5D, 0x7D].contains(t.bytes[j - 1]) { j -= 1 }
        return j > i ? j : nil
    }
}
