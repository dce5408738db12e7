/// Parses timestamps: whole or fractional seconds since 1970, or ISO 8601
/// (`2024-03-01`, `2024-03-01T12:30:00Z`, `2024-03-01 12:30:00.250+02:00`).
public enum TimestampParser {
    /// The last second of year 9999.
    public static let maximum: Int64 = 253_402_300_799
    public static let minimum: Int64 = -62_135_596_800  // 0001-01-01

    /// Seconds since 1970, or a message saying what is wrong.
    public static func parse(_ text: String) -> Result<Int64, TimestampError> {
        let t = text.trimmingWhitespace()
        if t.isEmpty { return .failure(TimestampError(message: "is empty; give seconds since 1970 or an ISO 8601 date")) }
        if let whole = Int64(t) {
            if whole <= maximum, whole >= minimum { return .success(whole) }
            let hint = whole > 100_000_000_000 ? " (it looks like milliseconds; timestamps are seconds since 1970)" : ""
            return .failure(TimestampError(message: "'\(t)' is out of range\(hint)"))
        }
        let bytes = Array(t.utf8)
        if bytes.count >= 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") {
            return parseISO(bytes, original: t)
        }
        guard let seconds = Double(t), seconds.isFinite else {
            return .failure(TimestampError(message: "'\(t)' is not a timestamp; give seconds since 1970 (1700000000) or ISO 8601 (2024-03-01T12:30:00Z)"))
        }
        if seconds > Double(maximum) || seconds < Double(minimum) {
            let hint = seconds > 1e11 ? " (it looks like milliseconds; timestamps are seconds since 1970)" : ""
            return .failure(TimestampError(message: "'\(t)' is out of range\(hint)"))
        }
        return .success(Int64(seconds.rounded(.down)))
    }

    private static func parseISO(_ b: [UInt8], original: String) -> Result<Int64, TimestampError> {
        let bad = TimestampError(message: "'\(original)' is not a valid ISO 8601 timestamp; use 2024-03-01 or 2024-03-01T12:30:00Z")
        func digits(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= b.count else { return nil }
            var v = 0
            for i in from..<(from + count) {
                let c = b[i]
                guard c >= 48, c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            return v
        }
        guard let year = digits(0, 4), let month = digits(5, 2), let day = digits(8, 2),
            (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year)
        else { return .failure(bad) }
        var seconds = 0
        var offset = 0
        var i = 10
        if i < b.count {
            guard b[i] == UInt8(ascii: "T") || b[i] == UInt8(ascii: " ") || b[i] == UInt8(ascii: "t"),
                let h = digits(i + 1, 2), b.count > i + 3, b[i + 3] == UInt8(ascii: ":"), let m = digits(i + 4, 2),
                h < 24, m < 60
            else { return .failure(bad) }
            seconds = h * 3600 + m * 60
            i += 6
            if i < b.count, b[i] == UInt8(ascii: ":") {
                guard let s = digits(i + 1, 2), s < 61 else { return .failure(bad) }
                seconds += min(s, 59)
                i += 3
                if i < b.count, b[i] == UInt8(ascii: ".") || b[i] == UInt8(ascii: ",") {
                    i += 1
                    let fractionStart = i
                    while i < b.count, b[i] >= 48, b[i] <= 57 { i += 1 }
                    if i == fractionStart { return .failure(bad) }
                }
            }
            if i < b.count {
                if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") {
                    i += 1
                } else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
                    let sign = b[i] == UInt8(ascii: "+") ? 1 : -1
                    guard let oh = digits(i + 1, 2), oh < 24 else { return .failure(bad) }
                    var om = 0
                    i += 3
                    if i < b.count, b[i] == UInt8(ascii: ":") {
                        guard let v = digits(i + 1, 2), v < 60 else { return .failure(bad) }
                        om = v; i += 3
                    } else if let v = digits(i, 2) {
                        guard v < 60 else { return .failure(bad) }
                        om = v; i += 2
                    }
                    offset = sign * (oh * 3600 + om * 60)
                }
                if i != b.count { return .failure(bad) }
            }
        }
        let days = daysFromCivil(year: year, month: month, day: day)
        return .success(Int64(days) * 86_400 + Int64(seconds - offset))
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    public static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}

/// Why a timestamp could not be read.
public struct TimestampError: Error, Equatable {
    public let message: String
}
