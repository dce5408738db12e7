/// The hours of day (UTC) a principal declared it works in, e.g. a nightly batch job's 02-05:
/// from the start of `from` to the start of `to`, across midnight when `to` ≤ `from` ("22-04").
public struct ActiveHours: Sendable, Equatable, Codable, CustomStringConvertible {
    public var from: Int
    public var to: Int

    public init?(from: Int, to: Int) {
        guard (0...23).contains(from), (0...24).contains(to), from != to % 24 || (from == 0 && to == 24) else { return nil }
        self.from = from
        self.to = to
    }

    /// Reads "2-5", "02-05" or "02:00-05:00".
    public init?(text: String) {
        let ends = text.split(separator: "-", omittingEmptySubsequences: false)
        guard ends.count == 2 else { return nil }
        func hour(_ s: Substring) -> Int? {
            let parts = s.split(separator: ":", omittingEmptySubsequences: false)
            guard (1...2).contains(parts.count), parts[0].count <= 2, let h = Int(parts[0]), parts.count == 1 || parts[1] == "00" else { return nil }
            return h
        }
        guard let from = hour(ends[0]), let to = hour(ends[1]) else { return nil }
        self.init(from: from, to: to)
    }

    /// Whether `time` (seconds since 1970) falls in these hours.
    public func contains(_ time: Int64) -> Bool {
        let hour = Int((time % 86_400 + 86_400) % 86_400 / 3600)
        return from < to ? (from..<to).contains(hour) : hour >= from || hour < to
    }

    public var description: String { "\(Self.two(from))-\(Self.two(to))" }

    static func two(_ h: Int) -> String { h < 10 ? "0\(h)" : "\(h)" }
}
