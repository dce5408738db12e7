import Foundation

/// Writing to the terminal: messages to stderr, and a progress line that redraws itself when stderr is a terminal.
enum Terminal {
    static func error(_ message: String) {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    }

    static func warning(_ message: String) {
        FileHandle.standardError.write(Data("warning: \(message)\n".utf8))
    }

    static func note(_ message: String) {
        FileHandle.standardError.write(Data("\(message)\n".utf8))
    }

    static var isInteractive: Bool { isatty(STDERR_FILENO) == 1 }

    /// Redraws one progress line on stderr (only on a terminal, so logs stay clean).
    static func progress(_ message: String) {
        guard isInteractive else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K\(message)".utf8))
    }

    static func endProgress() {
        guard isInteractive else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}

/// Number formatting for people: 1234567 → "1,234,567".
func grouped(_ n: Int) -> String {
    let digits = String(n.magnitude)
    var out = ""
    for (i, c) in digits.enumerated() {
        if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
        out.append(c)
    }
    return n < 0 ? "-" + out : out
}

func fixed(_ x: Double, _ places: Int = 1) -> String { String(format: "%.\(places)f", x) }

/// A date for people: "2026-01-01 12:00 UTC".
func dateText(_ seconds: Int64) -> String {
    let f = DateFormatter()
    f.locale = Locale(identifier: "en_US_POSIX")
    f.timeZone = TimeZone(identifier: "UTC")
    f.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
    return f.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
}

#if os(Linux)
    private let RUSAGE_SELF_VALUE = Int32(RUSAGE_SELF.rawValue)
#else
    private let RUSAGE_SELF_VALUE = RUSAGE_SELF
#endif

/// Peak resident memory of this process, in bytes.
func peakMemoryBytes() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF_VALUE, &usage)
    #if os(Linux)
        return Int(usage.ru_maxrss) * 1024
    #else
        return Int(usage.ru_maxrss)
    #endif
}
