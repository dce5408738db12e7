/// E-mail addresses: a local part of letters, digits and . _ % + - (not starting or ending with a dot),
/// `@`, and a domain of at least two labels whose last is 2–24 letters. Found from each `@`, so text
/// without one costs a single byte scan.
enum EmailRecognizer {
    /// Tries a match at the `@` at `i`; returns where this recognizer may look next.
    static func match(_ t: ScanText, at i: Int, into out: inout [Candidate]) -> Int {
        guard t.bytes[i] == 0x40 else { return i + 1 }
        var s = i
        while s > 0, isLocal(t.bytes[s - 1]) { s -= 1 }
        while s < i, t.bytes[s] == 0x2E { s += 1 }
        guard s < i, t.bytes[i - 1] != 0x2E else { return i + 1 }
        if let end = URLRecognizer.domain(t, from: i + 1, minimumLabels: 2) {
            out.append(Candidate(type: .email, start: s, end: end, score: 1.0))
            return end
        }
        return i + 1
    }

    /// Local-part bytes: ASCII only, so an address written against non-Latin text ("メールはx@y.es") starts at the address.
    @inline(__always) static func isLocal(_ b: UInt8) -> Bool {
        ScanText.isAlnum(b) || b == 0x2E || b == 0x5F || b == 0x25 || b == 0x2B || b == 0x2D
    }
}
