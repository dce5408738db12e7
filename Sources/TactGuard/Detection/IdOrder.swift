/// Whether a principal asks for persons in id order. Kept where the ids are known (the server, in
/// memory, never stored or logged), so that only the answer reaches the Guard (`AccessEvent.order`):
///
/// - **monotone**: the id goes the same way from the one asked for just before as that one went from
///   its predecessor ("u41" after "u40" after "u39"), in natural order ("u9" < "u10");
/// - **adjacent**: the id is next to (±1 of) one of the last `recent` ids this principal asked for, so
///   that an enumeration mixed into an app's own traffic still shows. Ids among the newest (within
///   `newest` of the highest number any principal asked for under the same text) are not counted: where
///   ids are given in sequence, new sign-ups are read one after another as they arrive, and their ids
///   are next to each other.
public struct IdOrder: Sendable {
    /// What one id says about the order it was asked for in.
    public struct Step: Sendable, Equatable, Codable {
        public var monotone: Bool?
        public var adjacent: Bool

        public init(monotone: Bool?, adjacent: Bool) {
            self.monotone = monotone
            self.adjacent = adjacent
        }

        /// The step as a small number (the shared Guard's events store it): bit 0 adjacent, bits 1–2 monotone (0 unknown, 1 no, 2 yes).
        public var code: Int { (adjacent ? 1 : 0) | (monotone == nil ? 0 : monotone! ? 4 : 2) }

        public init?(code: Int) {
            guard (0...7).contains(code), code & 6 != 6 else { return nil }
            adjacent = code & 1 == 1
            monotone = code & 6 == 0 ? nil : code & 4 == 4
        }
    }

    /// An id split into its text and its trailing number (nil when it has none, or one too long for an Int).
    struct Parsed: Equatable {
        var text: Substring
        var number: Int?
        var raw: String

        init(_ id: String) {
            let (text, digits) = IdOrder.split(id)
            self.text = text
            number = digits.flatMap { $0.count <= 18 ? Int($0) : nil }
            raw = id
        }
    }

    struct Recent {
        var ids: [Parsed] = []
        var direction = 0
    }

    var last: [String: Recent] = [:]
    /// Ids remembered per principal.
    public var recent = IdOrder.standardRecent
    public static let standardRecent = 32
    /// Principals remembered at most; past that the memory starts again (order is a short-run signal).
    public var capacity = 100_000
    /// Per id text ("u" of "u41"): the highest number asked for, by anyone (at most `capacity` texts).
    var highest: [Substring: Int] = [:]
    /// How far below the highest number an id counts among the newest.
    public var newest = 1_000

    public init() {}

    /// Records that `principal` asked for `id`; returns what that says about order.
    public mutating func next(_ principal: String, id: String) -> Step {
        if last.count >= capacity && last[principal] == nil { last = [:] }
        var r = last.removeValue(forKey: principal) ?? Recent()
        defer { last[principal] = r }
        let parsed = Parsed(id)
        var adjacent = false
        if let n = parsed.number {
            let top = highest[parsed.text]
            if n > top ?? .min {
                if top == nil && highest.count >= capacity { highest = [:] }
                highest[parsed.text] = n
            }
            let isNewest = top.map { n > $0 &- newest } ?? true
            adjacent = !isNewest && r.ids.contains { $0.number != nil && ($0.number! == n - 1 || $0.number! == n + 1) && $0.text == parsed.text }
        }
        guard let previous = r.ids.last else {
            r.ids = [parsed]
            return Step(monotone: nil, adjacent: false)
        }
        let step = Self.compare(previous.raw, id)
        let monotone: Bool? = r.direction == 0 ? nil : step == r.direction
        r.direction = step
        r.ids.append(parsed)
        if r.ids.count > recent { r.ids.removeFirst() }
        return Step(monotone: monotone, adjacent: adjacent)
    }

    /// −1 when b comes before a, +1 when after, 0 when equal; natural order.
    public static func compare(_ a: String, _ b: String) -> Int {
        let (pa, na) = split(a), (pb, nb) = split(b)
        if pa != pb || na == nil || nb == nil { return a == b ? 0 : (a < b ? 1 : -1) }
        let x = na!.drop { $0 == "0" }, y = nb!.drop { $0 == "0" }
        if x.count != y.count { return x.count < y.count ? 1 : -1 }
        return x == y ? 0 : (x < y ? 1 : -1)
    }

    /// Whether two ids share their text and their trailing numbers differ by one ("u40", "u41").
    public static func adjacent(_ a: String, _ b: String) -> Bool {
        let (pa, na) = split(a), (pb, nb) = split(b)
        guard pa == pb, let na, let nb, na.count <= 18, nb.count <= 18, let x = Int(na), let y = Int(nb) else { return false }
        return x - y == 1 || y - x == 1
    }

    /// The id's text before its trailing digits, and the digits (nil if it has none).
    static func split(_ s: String) -> (Substring, Substring?) {
        let digits = s.reversed().prefix { $0.isASCII && $0.isNumber }.count
        guard digits > 0 else { return (Substring(s), nil) }
        return (s.dropLast(digits), s.suffix(digits))
    }
}
