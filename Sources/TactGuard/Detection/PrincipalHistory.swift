import Foundation

/// What the Guard remembers of one principal over days, in bounded memory, so that a slow
/// enumeration cannot hide under the 5-minute windows:
///
/// - **The persons it has ever read** (`PersonFilter`), and those it read in the last day (one
///   filter per hour, the oldest dropped as a new one starts). A read of a person not read in that
///   horizon (23 to 24 hours) is *fresh*. A busy app meets fresh persons all the time but also
///   reads its regulars again and again; a scraper reads through persons it has not read lately.
///   Counted against the last day rather than all time, the fresh share is steady for an app (all
///   time, it falls as the app meets everyone). Its fresh rate is learned from its benign windows
///   (decayed, weighted by reads), and `AccessMonitor` keeps a CUSUM (Page 1954) of the
///   log-likelihood ratio "the fresh share has risen", read by read, so a few hundred reads of an
///   enumeration mixed into a busy key's traffic raise an alert that no 5-minute window would.
/// - **First-time persons per day**: the last 24 hours, hour by hour, against what its role needs:
///   a configured number per principal, or else what it has needed on its past days (EWMA).
///
/// Everything here merges (filters by OR, counts by the larger side) and has a byte form
/// (`encoded()`), so it survives a restart and can be shared through the store.
public struct PrincipalHistory: Sendable, Equatable {
    public var persons: PersonFilter
    /// Persons read in each hour of the last day, oldest first; `latestSlot` numbers the newest
    /// (hours since 1970). Fresh means in none of them: not read in the last 23 to 24 hours.
    var slots: [PersonFilter]
    var latestSlot: Int64 = 0
    static let slotSeconds: Int64 = 3600, slotCount = 24
    /// When its first successful read was seen (seconds since 1970); −1 before that, 0 when it was
    /// stored before this was kept (long known).
    public internal(set) var firstSeen: Int64 = -1
    /// Successful reads seen in all.
    public internal(set) var totalReads = 0
    /// Decayed sums over learned windows: successful reads, and fresh ones.
    public internal(set) var learnedReads = 0.0, learnedFresh = 0.0
    /// The open window's reads and fresh reads.
    var windowReads = 0, windowFresh = 0
    /// The freshness CUSUM, and the reads since it last stood at 0 (the run it is judging).
    public internal(set) var cusum = 0.0
    var runReads = 0, runFresh = 0
    var runStart: Int64 = 0
    /// First-time persons per hour over the last 24 hours; `latestHour` is the hour (since 1970) of the newest slot.
    var hourFirst = [Int](repeating: 0, count: 24)
    var latestHour: Int64 = -1
    /// Past days' first-time persons: EWMA mean and variance, days learned; today's count.
    public internal(set) var dayMean = 0.0, dayVariance = 0.0
    public internal(set) var days = 0
    var today = 0
    var currentDay: Int64 = -1
    /// Whether a long-horizon alert was raised today (that day is then not learned from).
    var alertedToday = false

    public init(maximumBits: Int = 1 << 23) {
        persons = PersonFilter(maximumBits: maximumBits)
        slots = Array(repeating: PersonFilter(maximumBits: maximumBits, precision: .fine), count: Self.slotCount)
    }

    /// The learned share of fresh reads.
    public var freshRate: Double { learnedReads > 0 ? learnedFresh / learnedReads : 1 }

    /// First-time persons in the last 24 hours (as of the newest hour seen).
    public var lastDayFirst: Int { hourFirst.reduce(0, +) }

    /// Records one successful read of `person` at `at`; returns whether the person is fresh (not read
    /// in the last 23 to 24 hours).
    @discardableResult
    mutating func read(_ person: String, at: Int64) -> Bool { readPerson(person, at: at).fresh }

    /// Records one successful read; returns whether the person was never read before, and whether fresh.
    mutating func readPerson(_ person: String, at: Int64) -> (first: Bool, fresh: Bool) {
        if firstSeen < 0 { firstSeen = at }
        let hash = PersonFilter.hash(person)
        let first = persons.insert(hash: hash)
        advance(to: at / Self.slotSeconds)
        // Always recorded in the newest slot, so that it stays recent for the next 24 hours.
        let newInSlot = slots[slots.count - 1].insert(hash: hash)
        let fresh = newInSlot && !slots.dropLast().contains { $0.contains(hash: hash) }
        totalReads += 1
        windowReads += 1
        if fresh { windowFresh += 1 }
        let hour = at / 3600, day = at / 86_400
        if latestHour < 0 { latestHour = hour }
        if hour > latestHour {
            for h in (latestHour + 1)...min(hour, latestHour + 24) { hourFirst[Int(h % 24)] = 0 }
            latestHour = hour
        }
        if currentDay < 0 { currentDay = day }
        if day > currentDay { closeDay(day) }
        if first {
            today += 1
            if hour == latestHour { hourFirst[Int(hour % 24)] += 1 }
        }
        return (first, fresh)
    }

    /// Moves the slots on to `slot`, dropping those older than a day.
    mutating func advance(to slot: Int64) {
        guard slot > latestSlot else { return }
        let shift = Int(min(slot - latestSlot, Int64(Self.slotCount)))
        slots.removeFirst(shift)
        slots += Array(repeating: PersonFilter(maximumBits: persons.maximumBits, precision: .fine), count: shift)
        latestSlot = slot
    }

    mutating func closeDay(_ day: Int64) {
        if !alertedToday {
            let x = Double(today)
            let a = days == 0 ? 1.0 : 0.3
            let delta = x - dayMean
            dayMean += a * delta
            dayVariance = (1 - a) * (dayVariance + a * delta * delta)
            days += 1
        }
        // Days with no reads at all say nothing about what the role needs.
        today = 0
        alertedToday = false
        currentDay = day
    }

    /// The CUSUM's step for one read, given the learned fresh rate `q0` and the alternative `q1`.
    mutating func judge(fresh: Bool, at: Int64, q0: Double, q1: Double) {
        let next = max(0, cusum + (fresh ? log(q1 / q0) : log((1 - q1) / (1 - q0))))
        if next == 0 {
            resetRun()
            return
        }
        if cusum == 0 {
            runReads = 0
            runFresh = 0
            runStart = at
        }
        cusum = next
        runReads += 1
        if fresh { runFresh += 1 }
    }

    /// Ends a window: learns its fresh rate unless told not to (a CUSUM building up, an alert).
    mutating func closeWindow(learn: Bool, decay: Double) {
        if learn && windowReads > 0 {
            learnedReads = (1 - decay) * learnedReads + Double(windowReads)
            learnedFresh = (1 - decay) * learnedFresh + Double(windowFresh)
        }
        windowReads = 0
        windowFresh = 0
    }

    mutating func resetRun() {
        cusum = 0
        runReads = 0
        runFresh = 0
    }

    /// Takes in another copy of this principal's history (stored before a restart, or kept by another
    /// server): persons by union, counts and learned rates by the larger side, hour slots aligned.
    public mutating func merge(_ other: PrincipalHistory) {
        persons.formUnion(other.persons)
        advance(to: other.latestSlot)
        for (i, slot) in other.slots.enumerated() {
            // The other's slot i is slot number other.latestSlot − (count − 1 − i); here it sits at:
            let mine = i - Int(latestSlot - other.latestSlot)
            if mine >= 0 { slots[mine].formUnion(slot) }
        }
        totalReads = max(totalReads, other.totalReads)
        if other.firstSeen >= 0 && (firstSeen < 0 || other.firstSeen < firstSeen) { firstSeen = other.firstSeen }
        if other.learnedReads > learnedReads {
            learnedReads = other.learnedReads
            learnedFresh = other.learnedFresh
        }
        cusum = max(cusum, other.cusum)
        // Hour slots: aligned on the newer side's hour; each slot takes the larger count.
        let newest = max(latestHour, other.latestHour)
        if newest >= 0 {
            var merged = [Int](repeating: 0, count: 24)
            for h in max(0, newest - 23)...newest {
                var v = 0
                if h <= latestHour && h > latestHour - 24 { v = max(v, hourFirst[Int(h % 24)]) }
                if h <= other.latestHour && h > other.latestHour - 24 { v = max(v, other.hourFirst[Int(h % 24)]) }
                merged[Int(h % 24)] = v
            }
            hourFirst = merged
            latestHour = newest
        }
        if other.days > days {
            dayMean = other.dayMean
            dayVariance = other.dayVariance
            days = other.days
        }
        if other.currentDay > currentDay {
            today = other.today
            currentDay = other.currentDay
            alertedToday = other.alertedToday
        } else if other.currentDay == currentDay {
            today = max(today, other.today)
            alertedToday = alertedToday || other.alertedToday
        }
    }

    // MARK: bytes

    /// 2 adds `firstSeen`; version 1 reads back with it 0 (long known).
    static let version = 2

    /// The history as bytes, to store; `init(decoding:)` reads them back.
    public func encoded() -> [UInt8] {
        var w = ByteWriter()
        w.int(Self.version)
        w.int(Int(firstSeen))
        w.int(totalReads)
        w.int(windowReads)
        w.int(windowFresh)
        w.double(learnedReads)
        w.double(learnedFresh)
        w.double(cusum)
        w.int(runReads)
        w.int(runFresh)
        w.int(Int(runStart))
        for h in hourFirst { w.int(h) }
        w.int(Int(latestHour))
        w.double(dayMean)
        w.double(dayVariance)
        w.int(days)
        w.int(today)
        w.int(Int(currentDay))
        w.int(alertedToday ? 1 : 0)
        w.int(Int(latestSlot))
        w.bytes += persons.encoded()
        for slot in slots { w.bytes += slot.encoded() }
        return w.bytes
    }

    public init(decoding bytes: [UInt8]) throws {
        var r = ByteReader(bytes)
        let version = try r.int()
        guard version == 1 || version == Self.version else { throw GuardStateError.malformed("principal history version") }
        firstSeen = version == 1 ? 0 : Int64(try r.int())
        totalReads = try r.int()
        windowReads = try r.int()
        windowFresh = try r.int()
        learnedReads = try r.double()
        learnedFresh = try r.double()
        cusum = try r.double()
        runReads = try r.int()
        runFresh = try r.int()
        runStart = Int64(try r.int())
        var hours = [Int](repeating: 0, count: 24)
        for i in 0..<24 { hours[i] = try r.int() }
        hourFirst = hours
        latestHour = Int64(try r.int())
        dayMean = try r.double()
        dayVariance = try r.double()
        days = try r.int()
        today = try r.int()
        currentDay = Int64(try r.int())
        alertedToday = try r.int() != 0
        latestSlot = Int64(try r.int())
        persons = try PersonFilter(reading: &r)
        var slots: [PersonFilter] = []
        for _ in 0..<Self.slotCount { slots.append(try PersonFilter(reading: &r)) }
        self.slots = slots
        guard cusum.isFinite, learnedReads.isFinite, learnedFresh.isFinite, dayMean.isFinite, dayVariance.isFinite, cusum >= 0, learnedReads >= 0,
            learnedFresh >= 0, dayVariance >= 0
        else { throw GuardStateError.malformed("principal history numbers") }
    }
}
