import Foundation

/// Who has been active lately, and which persons each key has sent events for, in bounded memory: the
/// Guard's answer to "is this person someone the app is serving?". An app reads the people using it, who
/// send events; a scraper reads through everyone, most of whom have not been active for days.
///
/// Each of its two tables (persons, and key–person pairs) is a Bloom filter of day stamps: an entry sets
/// three slots to the day of its latest event, and counts as active since a day when all three hold that
/// day or a later one. An active person is never taken for inactive; as a table fills, more inactive
/// persons pass for active ones (at 2²² slots, about 3% with 500,000 entries in the window, 40% with 4
/// million), so a crowded memory makes the signals weaker, never louder. The persons active in the window
/// are counted from the slots (Swamidass and Baldi's estimate for a Bloom filter). Persons are the audit
/// handles the Guard sees; ids never reach it.
public struct ActivityMemory: Sendable {
    public struct Settings: Sendable, Equatable {
        /// Slots of each table (two bytes each; 2²² by default: 8 MiB a table, made at its first entry).
        public var slots = 1 << 22
        /// Days a person counts as active after an event.
        public var activeDays: Int64 = 3
        /// Fewest persons active in the window for the memory to judge: below it (a store of old imported
        /// events, or ingestion that stopped), nobody's reads are held to it.
        public var minimumActive = 1000
        /// Fewest persons a key must have sent events for before its reads are held to them.
        public var minimumSent = 200
        /// Fewest events noted as they arrived, today and yesterday (UTC), for a memory filled more than a day
        /// ago to go on judging: where events reach the store some other way (`tact import` while the server
        /// runs), the memory grows stale, and a stale memory would take the app's readers for inactive ones.
        public var minimumArrivals = 100
        public init() {}
    }

    public let settings: Settings
    /// Per slot, the latest day (days since 1970, plus one; 0: never) of any person hashed to it.
    private var persons: [UInt16] = []
    /// The same for key–person pairs.
    private var pairs: [UInt16] = []
    /// When the memory began to know activity: the start of its window when filled from the store, or the
    /// first event noted.
    public private(set) var knownSince: Int64?
    /// When the memory was last filled from the store, and events noted as they arrived, per day.
    private var filledAt: Int64?
    private var arrivals: [Int64: Int] = [:]
    /// The persons the store holds, as last counted (0: unknown; the server counts them again every 10
    /// minutes, so new sign-ups are added late and the share of inactive persons is, if anything, under-stated).
    public var population = 0
    /// Per key principal: when the memory first noted an event it sent (the store does not know who sent
    /// what, so after a restart a key's sending is learned again), and the persons it sent events for, per
    /// day they were new that day (a person on two days counts twice: it only arms the signal).
    private var sentSince: [String: Int64] = [:]
    private var sentPerDay: [String: [Int64: Int]] = [:]
    /// Slots of the persons table holding a day of the window that starts on day `countedFrom` (kept as slots
    /// are stamped; counted again when the window moves on).
    private var setSlots = 0
    private var countedFrom: Int64 = .min

    public init(settings: Settings = Settings()) { self.settings = settings }

    /// Bytes the tables take (0 until the first event).
    public var byteCount: Int { (persons.count + pairs.count) * 2 }

    static func day(_ at: Int64) -> Int64 { max(0, at) / 86_400 }

    /// A person's slots (or a key–person pair's, when `principal` is given).
    private func slots(_ person: String, principal: String?) -> InlineArray<3, Int> {
        var (h1, h2) = PersonFilter.hash(person)
        if let principal {
            let (p1, p2) = PersonFilter.hash(principal)
            h1 = Self.mix(h1 ^ p1)
            h2 = Self.mix(h2 &+ p2)
        }
        h2 |= 1
        let n = UInt64(settings.slots)
        return InlineArray { Int((h1 &+ UInt64($0) &* h2) % n) }
    }

    static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Sets the slots to `day`; returns whether they all held it already (noted that day before), and how many
    /// held no day since `since` before.
    /// (Static, so that `self` is not read while one of its tables is changed: that would copy the table.)
    private static func stamp(
        _ table: inout [UInt16], _ indices: InlineArray<3, Int>, day: Int64, since: Int64, slots: Int
    ) -> (known: Bool, newlySet: Int) {
        if table.isEmpty { table = [UInt16](repeating: 0, count: max(64, slots)) }
        let value = UInt16(clamping: day + 1), first = UInt16(clamping: since + 1)
        var known = true, newlySet = 0
        for k in indices.indices where table[indices[k]] < value {
            if table[indices[k]] < first { newlySet += 1 }
            table[indices[k]] = value
            known = false
        }
        return (known, newlySet)
    }

    /// Counts the persons table's slots holding a day since `first`, unless already counted for it.
    private mutating func recount(from first: Int64) {
        guard first != countedFrom else { return }
        let value = UInt16(clamping: first + 1)
        setSlots = persons.withUnsafeBufferPointer { slots in
            var n = 0
            for v in slots where v >= value { n += 1 }
            return n
        }
        countedFrom = first
    }

    private func holds(_ table: [UInt16], _ indices: InlineArray<3, Int>, since day: Int64) -> Bool {
        guard !table.isEmpty else { return false }
        let value = UInt16(clamping: day + 1)
        for k in indices.indices where table[indices[k]] < value { return false }
        return true
    }

    /// The first day of the window that ends at `at`.
    func windowStart(_ at: Int64) -> Int64 { Self.day(at) - settings.activeDays + 1 }

    /// When the window that ends at `at` begins (seconds since 1970): midnight UTC, `activeDays` − 1 days before.
    public func windowBegins(at: Int64) -> Int64 { windowStart(at) * 86_400 }

    /// Notes an event of `person` at `at`, sent by `principal` (a key, "key:…") when it came through one.
    /// Events older than the window are ignored; a time in the future counts as now's.
    public mutating func note(person: String, at: Int64, now: Int64, principal: String? = nil) {
        note(person: person, at: at, now: now, principal: principal, arriving: true)
    }

    private mutating func note(person: String, at: Int64, now: Int64, principal: String?, arriving: Bool) {
        let day = Self.day(min(at, now))
        guard day >= windowStart(now) else { return }
        if knownSince == nil { knownSince = now }
        if arriving {
            let today = Self.day(now)
            arrivals[today, default: 0] += 1
            if arrivals.count > 2 { arrivals = arrivals.filter { $0.key >= today - 1 } }
        }
        let first = windowStart(now)
        recount(from: first)
        let personSlots = slots(person, principal: nil), size = settings.slots
        setSlots += Self.stamp(&persons, personSlots, day: day, since: first, slots: size).newlySet
        if let principal, principal.hasPrefix("key:") {
            if sentSince[principal] == nil { sentSince[principal] = now }
            let pairSlots = slots(person, principal: principal)
            if !Self.stamp(&pairs, pairSlots, day: day, since: first, slots: size).known {
                sentPerDay[principal, default: [:]][day, default: 0] += 1
            }
            if let days = sentPerDay[principal], days.keys.contains(where: { $0 < windowStart(now) }) {
                sentPerDay[principal] = days.filter { $0.key >= windowStart(now) }
            }
        }
    }

    /// Begins the memory from the store: every person with an event in the window, with the time of their
    /// latest one, and how many persons the store holds. The memory then knows the whole window.
    public mutating func fill(_ latest: [String: Int64], population: Int, now: Int64) {
        for (person, at) in latest { note(person: person, at: at, now: now, principal: nil, arriving: false) }
        let start = windowBegins(at: now)
        knownSince = min(knownSince ?? start, start)
        filledAt = now
        self.population = max(population, latest.count)
    }

    /// Persons active in the window ending at `at`, estimated from the X of the m slots set since its first
    /// day: −(m/3)·ln(1 − X/m).
    public mutating func activeCount(at: Int64) -> Int {
        recount(from: windowStart(at))
        guard setSlots > 0 else { return 0 }
        let m = Double(persons.count)
        return Int((-(m / 3) * log(max(1e-12, 1 - Double(setSlots) / m))).rounded())
    }

    /// The share of the store's persons with no event in the window ending at `at`; nil when the population is
    /// unknown.
    public mutating func inactiveShare(at: Int64) -> Double? {
        guard population > 0 else { return nil }
        return max(0, 1 - Double(activeCount(at: at)) / Double(population))
    }

    /// Persons the key sent events for in the window ending at `at` (over-counted: a person on two days twice).
    public func sentCount(by principal: String, at: Int64) -> Int {
        (sentPerDay[principal] ?? [:]).filter { $0.key >= windowStart(at) }.values.reduce(0, +)
    }

    /// Whether the memory can judge reads at `at`: it has known activity for the whole window (or was filled
    /// from the store), it is fed (filled in the last day, or `minimumArrivals` events arrived today and
    /// yesterday), and enough persons were active in it.
    public mutating func judges(at: Int64) -> Bool {
        guard let knownSince, knownSince <= windowBegins(at: at) else { return false }
        guard isFed(at: at) else { return false }
        return activeCount(at: at) >= settings.minimumActive
    }

    /// Filled from the store in the last day, or fed by events as they arrive.
    func isFed(at: Int64) -> Bool {
        if let filledAt, at - filledAt < 86_400 { return true }
        let today = Self.day(at)
        return (arrivals[today] ?? 0) + (arrivals[today - 1] ?? 0) >= settings.minimumArrivals
    }

    /// Whether the memory can judge a key's reads by the persons it sent events for: it has known the key's
    /// sending for the whole window, and the key sent events for enough persons in it.
    public func judgesSent(by principal: String, at: Int64) -> Bool {
        guard let since = sentSince[principal] else { return false }
        return since <= windowBegins(at: at) && sentCount(by: principal, at: at) >= settings.minimumSent
    }

    /// Whether `person` had an event in the window ending at `at`.
    public func isActive(_ person: String, at: Int64) -> Bool { holds(persons, slots(person, principal: nil), since: windowStart(at)) }

    /// Whether `principal` sent an event of `person` in the window ending at `at`.
    public func sent(_ principal: String, _ person: String, at: Int64) -> Bool {
        holds(pairs, slots(person, principal: principal), since: windowStart(at))
    }
}
