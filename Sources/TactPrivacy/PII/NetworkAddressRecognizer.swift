/// IPv4 addresses (four numbers 0–255, not part of a longer dotted run such as a version string),
/// IPv6 addresses (up to eight hex groups, one `::` compression, an optional IPv4 tail), and MAC
/// addresses (six hex pairs with `:` or `-`, or Cisco's three dotted groups of four).
enum NetworkAddressRecognizer {
    /// Tries a match at the token start `i`; returns where this recognizer may look next.
    static func match(_ t: ScanText, at i: Int, into out: inout [Candidate]) -> Int {
        let b = t.bytes[i]
        guard ScanText.isHex(b) || (b == 0x3A && t[i + 1] == 0x3A), t[i - 1] != 0x2E, t[i - 1] != 0x3A else { return i + 1 }
        // Every address has a separator within its first five characters (1.2…, ab:…, 0a-…, abcd.…, ::…).
        var h = i
        while h < t.count, h - i < 5, ScanText.isHex(t.bytes[h]) { h += 1 }
        let separator = t[h]
        guard separator == 0x3A || separator == 0x2E || separator == 0x2D else {
            var j = h
            while j < t.count, ScanText.isWord(t.bytes[j]) { j += 1 }
            return max(j, i + 1)
        }
        if ScanText.isDigit(b), let end = ipv4(t, i) {
            out.append(Candidate(type: .ipAddress, start: i, end: end, score: 0.8)); return end
        }
        if let end = mac(t, i) {
            out.append(Candidate(type: .macAddress, start: i, end: end, score: 0.8)); return end
        }
        if let end = ipv6(t, i) {
            out.append(Candidate(type: .ipAddress, start: i, end: end, score: 0.8)); return end
        }
        // Skip the rest of this word.
        var j = i + 1
        while j < t.count, ScanText.isWord(t.bytes[j]) { j += 1 }
        return j
    }

    /// Four dotted numbers 0–255 (no leading zeros beyond "0"), not followed by another dotted number.
    static func ipv4(_ t: ScanText, _ i: Int, requireBoundary: Bool = true) -> Int? {
        var j = i
        for part in 0..<4 {
            let e = t.digitRun(from: j)
            guard e > j, e - j <= 3, !(e - j > 1 && t[j] == 0x30), t.number(j, e) <= 255 else { return nil }
            j = e
            if part < 3 { guard t[j] == 0x2E else { return nil }; j += 1 }
        }
        if requireBoundary {
            guard t.boundaryAfter(j), !(t[j] == 0x2E && t.isDigit(at: j + 1)) else { return nil }
        }
        return j
    }

    static func mac(_ t: ScanText, _ i: Int) -> Int? {
        // aa:bb:cc:dd:ee:ff or aa-bb-…
        let sep = t[i + 2]
        if sep == 0x3A || sep == 0x2D {
            var j = i
            for part in 0..<6 {
                guard ScanText.isHex(t[j]), ScanText.isHex(t[j + 1]) else { return nil }
                j += 2
                if part < 5 { guard t[j] == sep else { return nil }; j += 1 }
            }
            return t.boundaryAfter(j) && t[j] != sep ? j : nil
        }
        // aabb.ccdd.eeff
        var j = i
        for part in 0..<3 {
            for k in 0..<4 { guard ScanText.isHex(t[j + k]) else { return nil } }
            j += 4
            if part < 2 { guard t[j] == 0x2E else { return nil }; j += 1 }
        }
        return t.boundaryAfter(j) ? j : nil
    }

    static func ipv6(_ t: ScanText, _ i: Int) -> Int? {
        var j = i, groups = 0, compressed = false, end = i
        if t[j] == 0x3A {
            guard t[j + 1] == 0x3A else { return nil }
            compressed = true
            j += 2
            end = j
        }
        while true {
            // An IPv4 tail ends the address.
            if groups + (compressed ? 0 : 0) <= 6, let v4 = ipv4(t, j, requireBoundary: false), v4 > j {
                groups += 2; end = v4; j = v4; break
            }
            var k = j
            while k < t.count, k - j < 5, ScanText.isHex(t.bytes[k]) { k += 1 }
            let length = k - j
            guard length >= 1, length <= 4 else { break }
            groups += 1
            end = k
            j = k
            guard t[j] == 0x3A else { break }
            if t[j + 1] == 0x3A {
                guard !compressed else { return nil }
                compressed = true
                j += 2
                end = j
                if !ScanText.isHex(t[j]) { break }
            } else {
                guard ScanText.isHex(t[j + 1]) else { break }
                j += 1
            }
        }
        guard groups <= 8, compressed ? groups <= 7 : groups == 8 else { return nil }
        // Require a colon inside (so a plain hex word is not an address) and a clean end.
        guard end - i >= 2, t.boundaryAfter(end) || (t[end] == 0x3A && !ScanText.isHex(t[end + 1]) && t[end - 1] != 0x3A) else { return nil }
        var hasColon = false
        for k in i..<end where t.bytes[k] == 0x3A { hasColon = true; break }
        return hasColon ? end : nil
    }
}
