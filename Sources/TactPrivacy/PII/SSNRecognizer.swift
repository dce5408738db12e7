/// US Social Security numbers: AAA-GG-SSSS or AAA GG SSSS (nine bare digits only next to a context
/// word), with the Social Security Administration's rules: the area is not 000, 666 or 900–999, the
/// group not 00, the serial not 0000.
enum SSNRecognizer {
    /// Tries a match at the token start `i`; returns where this recognizer may look next.
    static func match(_ t: ScanText, at i: Int, into out: inout [Candidate]) -> Int {
        guard i + 9 <= t.count, ScanText.isDigit(t.bytes[i]), t[i - 1] != 0x2D, t[i - 1] != 0x2E else { return i + 1 }
        let run = t.digitRun(from: i)
        if run - i == 3, let sep = [UInt8(0x2D), 0x20].first(where: { $0 == t[run] }), t.digitRun(from: run + 1) == run + 3,
            t[run + 3] == sep, t.digitRun(from: run + 4) == run + 8, t.boundaryAfter(run + 8), t[run + 8] != 0x2D,
            !(t[run + 8] == 0x2E && t.isDigit(at: run + 9))
        {
            if valid(area: t.number(i, i + 3), group: t.number(run + 1, run + 3), serial: t.number(run + 4, run + 8)) {
                out.append(Candidate(type: .usSSN, start: i, end: run + 8, score: 0.6))
            }
        } else if run - i == 9, t.boundaryAfter(run),
            valid(area: t.number(i, i + 3), group: t.number(i + 3, i + 5), serial: t.number(i + 5, i + 9))
        {
            // Bare digits are a weak signal: only a context word ("SSN", "social security") makes them count.
            out.append(Candidate(type: .usSSN, start: i, end: run, score: 0.3))
        }
        return max(i + 1, run)
    }

    static func valid(area: Int, group: Int, serial: Int) -> Bool {
        area != 0 && area != 666 && area < 900 && group != 0 && serial != 0
    }
}
