import Foundation

/// Watches the stream of accesses and raises alerts: a canary touched (at once, critical), and at the
/// end of each window, a principal whose window stands out from its own baseline for that hour of
/// day (EWMA mean and variance per feature), or whose feature vector the isolation forest finds
/// unusual. Windows that raise an alert are not learned from, so an attack does not become normal.
public struct AccessMonitor: Sendable {
    public struct Settings: Sendable {
        /// Window length in seconds.
        public var window: Int64 = 300
        /// Standard scores above which a feature alerts (high) or contributes (medium).
        public var high = 8.0, medium = 5.0
        /// Per-feature floors of the standard deviation, in the feature's units.
        public var floors: [Double] = [20, 5, 0.05, 0.05, 2, 0.2, 0.2, 5]
        /// Fewest distinct persons for a volume alert: a window touching fewer is not a breach of note.
        public var minimumPersons = 25
        /// Windows of history before a principal's own (hour-of-day) baseline is trusted.
        public var warmup = 6
        /// Isolation-forest score above which a window is an unusual pattern; nil: no forest.
        public var forestThreshold: Double? = 0.75
        /// Benign windows to collect before fitting the forest.
        public var forestAfter = 500
        public var canaries: Set<String> = []

        // The long horizon (`PrincipalHistory`).
        /// The freshness CUSUM (Page 1954), read by read: the log-likelihood ratio of "the share of
        /// fresh reads has risen from the principal's own rate q₀ to q₀ + `freshShift`·(1 − q₀)" is
        /// summed (never below 0), and an enumeration alert is raised at `freshThreshold`. Independent
        /// benign reads cross it about once in e^threshold reads (e^16 ≈ 9·10⁶).
        public var freshShift = 0.15
        public var freshThreshold = 16.0
        /// Successful reads before a principal's own fresh rate is trusted.
        public var freshWarmupReads = 2000
        /// Weight a window's fresh rate loses with each later window (0.01: a time constant of 100
        /// windows, about 8 hours).
        public var freshDecay = 0.01
        /// What each principal's role needs: the most first-time persons it may read in 24 hours
        /// ("key:ID" → count). Principals not listed are held to their own past days.
        public var dailyPersons: [String: Int] = [:]
        /// Days of history before a principal's own past days set what it needs.
        public var dailyWarmup = 2
        /// Learned need: a 24-hour count of first-time persons alerts above factor × its usual day + `high` σ.
        public var dailyFactor = 2.0
        /// Bits each principal's person filter may take (1 MiB by default, about 580,000 persons).
        public var filterBits = 1 << 23

        // The role's shape (`RoleShape`) and the warm-up.
        /// A principal's first this-many seconds (a new key, or every key of a server with no stored
        /// history): it is observed, its alerts recorded and not acted on, unless decisive.
        public var observeSeconds: Int64 = 86_400
        /// Reading through people: the share of fresh reads judged against the role's expectation, and
        /// the CUSUM's threshold.
        public var scrapeShare = 0.99
        public var scrapeThreshold = 16.0
        /// Reading in id order: the CUSUM's threshold (about 25 ids in a row).
        public var orderThreshold = 16.0
        /// Reading people who are not using it (`inactive`, `unsent`), against the role's expected share: a
        /// scraper's share of reads of inactive persons is the store's share of them (`ActivityMemory`), judged
        /// only where at least `inactivePopulation` of its persons are inactive; its share of persons its key
        /// never sent events for is taken as `unsentShare`. The CUSUMs' threshold.
        public var inactivePopulation = 0.65
        public var unsentShare = 0.95
        public var activityThreshold = 16.0
        /// Who is active, and for whom each key sends events (`ActivityMemory`).
        public var activity = ActivityMemory.Settings()
        /// Windows without an alert after which a principal's shape is back to normal (a throttle is lifted).
        public var calmWindows = 2
        public init() {}
    }

    public var settings: Settings
    /// Per principal: one baseline per hour of day, and one over all hours.
    var hourly: [String: [FeatureBaseline]] = [:]
    var overall: [String: FeatureBaseline] = [:]
    var population = FeatureBaseline()
    var benign: [[Double]] = []
    var forest: IsolationForest?
    var forestCutoff = 1.0
    var windowStart: Int64?
    var open: [String: OpenWindow] = [:]
    /// Per principal, what is remembered over days; `changed` names those changed since `takeChanged()`.
    public internal(set) var histories: [String: PrincipalHistory] = [:]
    var changed: Set<String> = []
    /// Per principal: its shape against its role, from its first access (in memory).
    var shapes: [String: RoleShape] = [:]
    /// Per principal: windows closed in a row without an alert.
    var calm: [String: Int] = [:]
    /// Per principal without a successful read yet (so no `PrincipalHistory`): when it was first seen.
    var firstAccess: [String: Int64] = [:]
    /// Per principal: when it last raised a high or critical alert. For a day after, its freshness CUSUM alerts
    /// at half the threshold: a throttled scraper that waits for its throttle to be lifted and goes on is
    /// caught sooner the second time.
    var lastHigh: [String: Int64] = [:]
    /// Who has been active lately, and which persons each key has sent events for.
    public internal(set) var activity: ActivityMemory

    struct OpenWindow {
        var requests = 0, reads = 0, refusals = 0, errors = 0, exports = 0, offHours = 0, newRoutes = 0, firstTime = 0
        var persons = Set<String>()
        /// The distinct-person count at which this window alerts without waiting for its end.
        var personLimit: Int?
        var alerted = false
        /// Whether a role violation was raised in this window (one alert a window, not one a request).
        var roleAlerted = false
        /// The kinds of the role shape's alerts raised in this window ("scrape", "order"): one of each a window, so
        /// that a scrape answered by an alert only (`--guard-decisive alert`) is one alert a window, not one per run.
        var raised: Set<String> = []
        /// The role its accesses were made under; nil: none assigned.
        var role: RoleAssignment?
    }

    public init(settings: Settings = Settings()) {
        self.settings = settings
        activity = ActivityMemory(settings: settings.activity)
    }

    /// Begins the activity memory from the store: every person with an event in its window, with the time of
    /// their latest (`ActivityMemory.fill`).
    public mutating func fillActivity(_ latest: [String: Int64], population: Int, now: Int64) { activity.fill(latest, population: population, now: now) }

    /// The persons the store holds now (for the share of them a scraper's reads would find inactive).
    public mutating func countPopulation(_ people: Int) { activity.population = people }

    /// Takes events in time order; returns the alerts they raise (canaries at once, the rest when a
    /// window closes).
    public mutating func observe(_ e: AccessEvent) -> [GuardAlert] {
        var alerts = close(until: e.at)
        if e.kind == .ingest {
            if let person = e.person { activity.note(person: person, at: e.at, now: e.at, principal: e.principal) }
            return alerts
        }
        if windowStart == nil { windowStart = e.at - e.at % settings.window }
        let hour = Int((e.at % 86_400) / 3600)
        // Taken out of the dictionary while it changes, so that inserting a person does not copy the window's set.
        var w = open.removeValue(forKey: e.principal) ?? OpenWindow()
        if histories[e.principal] == nil && firstAccess[e.principal] == nil { firstAccess[e.principal] = e.at }
        let role = Self.role(of: e)
        let observing = isObserving(e.principal, at: e.at)
        w.role = role
        w.requests += 1
        if let person = e.person { w.persons.insert(person) }
        if [401, 403, 429].contains(e.status) { w.refusals += 1 } else if e.status >= 400 { w.errors += 1 }
        if e.kind == .export || e.kind == .erase { w.exports += 1 }
        if overall[e.principal] == nil { overall[e.principal] = FeatureBaseline() }
        if overall[e.principal]!.isOffHours(hour) { w.offHours += 1 }
        if overall[e.principal]!.windows >= settings.warmup && !overall[e.principal]!.knows(route: e.route) { w.newRoutes += 1 }
        overall[e.principal]!.observe(hour: hour, route: e.route)
        // A refused attempt reached nothing (the refusals rule counts those), except a device's: asking for another
        // person with a person token is the replay the role rules out.
        if e.person != nil, !w.roleAlerted, let role, e.status < 400 || role.role.onePerson, let alert = checkRole(e, role) {
            w.roleAlerted = true
            alerts.append(alert)
        }
        if let person = e.person, e.status < 400 {
            w.reads += 1
            alerts += read(person, w: &w, e, role: role, observing: observing)
        }
        if let monotone = e.order?.monotone, role?.role != .batch, !w.raised.contains("order"), let alert = checkOrder(e, monotone: monotone, role: role) {
            w.raised.insert("order")
            w.alerted = true
            alerts.append(alert)
        }
        // Bulk reading alerts as it happens, not when the window ends: every request counts. A batch job's
        // work is bulk reading; an observed principal without its own baseline yet is not compared with others'.
        if w.personLimit == nil {
            let (b, against) = baseline(e.principal, hour: hour)
            if role?.role.readsEveryone == true || (observing && against == Self.everyone) {
                w.personLimit = .max
            } else {
                let limit = b.mean[1] + settings.high * max(b.variance[1].squareRoot(), settings.floors[1])
                w.personLimit = max(settings.minimumPersons, Int(limit.rounded(.up)))
            }
        }
        // Volume alone is not held against an app reading its usual audience; checked again as the window goes on.
        if !w.alerted, w.persons.count > w.personLimit!, let shape = unusualVolume(e.principal, w, role: role) {
            w.alerted = true
            let (b, against) = baseline(e.principal, hour: hour)
            let ratio = Self.compared(Double(w.persons.count), mean: b.mean[1], against: against)
            let elapsed = max(1, e.at - (windowStart ?? e.at))
            alerts.append(
                GuardAlert(
                    at: e.at, principal: e.principal, severity: .high, kind: "volume",
                    explanation: "\(e.principal) read \(w.persons.count) distinct persons in \(elapsed) s, \(ratio) for \(settings.window / 60) minutes"
                        + shape,
                    persons: w.persons.count, observing: observing))
        }
        open[e.principal] = w
        if let person = e.person, settings.canaries.contains(person) {
            alerts.append(
                GuardAlert(
                    at: e.at, principal: e.principal, severity: .critical, kind: "canary",
                    explanation: "\(e.principal) touched a canary person (\(e.route)): canaries are never returned in normal results", persons: w.persons.count,
                    decisive: true, observing: observing)
            )
        }
        if !alerts.isEmpty { calm[e.principal] = 0 }
        for a in alerts where a.severity >= .high { lastHigh[a.principal] = a.at }
        return alerts
    }

    /// The role an access was made under: its key's, or a person token's (a device); nil for a key that has
    /// none (one made before keys had roles): it is held to its own baselines, ids in order and canaries only.
    static func role(of e: AccessEvent) -> RoleAssignment? {
        e.role ?? (e.principal.hasPrefix("person-token:") ? RoleAssignment(.device) : nil)
    }

    /// "key:K (role app)", or "key:K" when it has no role.
    static func named(_ principal: String, _ role: RoleAssignment?) -> String { role.map { "\(principal) (role \($0))" } ?? principal }

    /// Whether a principal is still observed: first seen less than `observeSeconds` ago (its first successful
    /// read, kept over restarts, or else its first access), or not yet seen.
    public func isObserving(_ principal: String, at time: Int64) -> Bool {
        var first = firstAccess[principal] ?? time
        if let seen = histories[principal]?.firstSeen, seen >= 0 { first = min(first, seen) }
        return time - first < settings.observeSeconds
    }

    /// Windows closed in a row without an alert for this principal (silent ones included).
    public func calmWindows(of principal: String) -> Int { calm[principal] ?? 0 }

    /// A role violation, decisive: a kind of access the role never makes, an access outside its declared
    /// hours, or a device asking for a second person.
    mutating func checkRole(_ e: AccessEvent, _ role: RoleAssignment) -> GuardAlert? {
        let who = "\(e.principal) (role \(role))"
        var why: String?
        if !role.role.kinds.contains(e.kind) {
            why =
                "made a\(e.kind == .export || e.kind == .erase ? "n" : "") \(e.kind.rawValue) of one person's data (\(e.route)), which \(role.role.kindOfPrincipal) never does"
        } else if let hours = role.hours, !hours.contains(e.at) {
            why =
                "read a person's data at \(Int((e.at % 86_400) / 3600)):\(String(format: "%02d", Int((e.at % 3600) / 60))) UTC, outside its declared hours \(hours)"
        } else if role.role.onePerson, let person = e.person {
            var shape = shapes[e.principal] ?? RoleShape()
            defer { shapes[e.principal] = shape }
            guard let own = shape.person else {
                shape.person = person
                return nil
            }
            if own != person { why = "asked for another person's data (\(e.route)) than its own: a device reads one person only" }
        }
        guard let why else { return nil }
        return GuardAlert(
            at: e.at, principal: e.principal, severity: .high, kind: "role", explanation: "\(who) \(why)", persons: 1, decisive: true,
            observing: isObserving(e.principal, at: e.at))
    }

    /// Reading in id order, decisive (a batch job's order is its own business).
    mutating func checkOrder(_ e: AccessEvent, monotone: Bool, role: RoleAssignment?) -> GuardAlert? {
        var shape = shapes[e.principal] ?? RoleShape()
        defer { shapes[e.principal] = shape }
        let rates = RoleShape.orderRates
        guard shape.order.observe(monotone, at: e.at, p0: rates.p0, p1: rates.p1) >= settings.orderThreshold else { return nil }
        let steps = shape.order.observations, seconds = e.at - shape.order.start
        shape.order.reset()
        return GuardAlert(
            at: e.at, principal: e.principal, severity: .high, kind: "order",
            explanation:
                "\(Self.named(e.principal, role)) asked for persons in id order, \(steps) ids running the same way over \(seconds) s: it is enumerating ids\(role.map { ", which \($0.role.kindOfPrincipal) does not do" } ?? "")",
            persons: steps, decisive: true, observing: isObserving(e.principal, at: e.at))
    }

    /// A fresh read next to an id asked for just before: an enumeration mixed into other traffic.
    mutating func checkAdjacent(_ e: AccessEvent, adjacent: Bool, role: RoleAssignment?, persons: Int, observing: Bool) -> GuardAlert? {
        var shape = shapes[e.principal] ?? RoleShape()
        defer { shapes[e.principal] = shape }
        let (p0, p1) = RoleShape.adjacentRates(persons: persons, recent: IdOrder.standardRecent)
        guard shape.adjacency.observe(adjacent, at: e.at, p0: p0, p1: p1) >= settings.orderThreshold else { return nil }
        let hits = shape.adjacency.hits, reads = shape.adjacency.observations, seconds = e.at - shape.adjacency.start
        shape.adjacency.reset()
        return GuardAlert(
            at: e.at, principal: e.principal, severity: .high, kind: "order",
            explanation:
                "\(Self.named(e.principal, role)) read \(hits) persons whose ids follow one it had just asked for, in \(reads) reads of persons new to it over \(seconds) s, where chance gives about \(Self.percent(p0)): it is enumerating ids alongside its own traffic",
            persons: hits, decisive: true, observing: observing)
    }

    /// Reading people who are not using it, decisive: every read of a person with no event in the last days
    /// (once the activity memory can tell), and, for a key that sends events, of a person it never sent one
    /// for, against the role's expected share `q0`.
    mutating func checkActivity(_ person: String, _ e: AccessEvent, role: RoleAssignment, q0: Double, w: inout OpenWindow, observing: Bool) -> [GuardAlert] {
        var shape = shapes[e.principal] ?? RoleShape()
        defer { shapes[e.principal] = shape }
        var alerts: [GuardAlert] = []
        let days = activity.settings.activeDays
        func alert(_ kind: String, _ run: BernoulliCUSUM, _ what: String, _ why: String) -> GuardAlert {
            GuardAlert(
                at: e.at, principal: e.principal, severity: .high, kind: kind,
                explanation:
                    "\(e.principal) (role \(role)) read \(run.hits) \(what) in its last \(run.observations) reads, over \(e.at - run.start) s (\(Self.percent(Double(run.hits) / Double(max(run.observations, 1))))), where \(role.role.kindOfPrincipal) reads at most \(Self.percent(q0)) such persons: \(why)",
                persons: run.hits, decisive: true, observing: observing)
        }
        if !w.raised.contains("inactive"), activity.judges(at: e.at), let everyone = activity.inactiveShare(at: e.at),
            everyone >= settings.inactivePopulation,
            shape.inactive.observe(!activity.isActive(person, at: e.at), at: e.at, p0: q0, p1: min(0.99, everyone)) >= settings.activityThreshold
        {
            alerts.append(
                alert(
                    "inactive", shape.inactive, "persons with no event in the last \(days) days",
                    "the people it reads are not the people using it (about \(activity.activeCount(at: e.at)) of \(activity.population) persons were active in that time)"
                ))
            shape.inactive.reset()
            w.raised.insert("inactive")
        }
        if !w.raised.contains("unsent"), activity.judgesSent(by: e.principal, at: e.at),
            shape.unsent.observe(!activity.sent(e.principal, person, at: e.at), at: e.at, p0: q0, p1: settings.unsentShare) >= settings.activityThreshold
        {
            alerts.append(
                alert(
                    "unsent", shape.unsent, "persons it never sent an event for in the last \(days) days",
                    "it reads people other than those it serves (it sent events for \(activity.sentCount(by: e.principal, at: e.at)) persons in that time)"))
            shape.unsent.reset()
            w.raised.insert("unsent")
        }
        if !alerts.isEmpty { w.alerted = true }
        return alerts
    }

    /// Whether a window's volume is a signal, with what makes it one in words; nil when it is not. An app's
    /// work is reading many people: its volume counts only when the window's share of persons it had not
    /// read in the last day rose too (from its learned share q₀ to q₀ + `freshShift`·(1 − q₀)). For other
    /// roles volume counts by itself.
    func unusualVolume(_ principal: String, _ w: OpenWindow, role: RoleAssignment?) -> String? {
        guard role?.role == .app else { return "" }
        guard w.reads > 0, !usualShare(principal, w, role: role) else { return nil }
        return
            "; \(Self.percent(Double(w.firstTime) / Double(w.reads))) of its reads were of persons it had not read in the last day, where \(Self.percent(usualFreshShare(principal, role: role))) is usual for it"
    }

    /// The share of its reads a principal usually makes of persons it did not read in the last day: learned, or
    /// its role's expectation until then.
    func usualFreshShare(_ principal: String, role: RoleAssignment?) -> Double {
        if let h = histories[principal], h.learnedReads > 0 { return h.freshRate }
        return role?.role.freshShareAtMost ?? 0.95
    }

    /// Whether a window's share of fresh reads is below q₀ + `freshShift`·(1 − q₀): the principal's usual shape
    /// (a window without reads is usual). A throttle is lifted only after windows of the usual shape.
    func usualShare(_ principal: String, _ w: OpenWindow, role: RoleAssignment?) -> Bool {
        guard w.reads > 0 else { return true }
        let q0 = usualFreshShare(principal, role: role)
        return Double(w.firstTime) / Double(w.reads) < q0 + settings.freshShift * (1 - q0)
    }

    /// One successful read of a person: fresh or not (read in the last day), the freshness CUSUM, and
    /// the 24-hour count of first-time persons (never read before) against what the principal's role
    /// needs. Returns an alert when either says enumeration; the window is then not learned from.
    mutating func read(_ person: String, w: inout OpenWindow, _ e: AccessEvent, role: RoleAssignment?, observing: Bool) -> [GuardAlert] {
        var h = histories.removeValue(forKey: e.principal) ?? PrincipalHistory(maximumBits: settings.filterBits)
        defer {
            histories[e.principal] = h
            changed.insert(e.principal)
        }
        let (first, fresh) = h.readPerson(person, at: e.at)
        if fresh { w.firstTime += 1 }
        var alerts: [GuardAlert] = []
        if fresh, let adjacent = e.order?.adjacent, role?.role != .batch, !w.raised.contains("order"),
            let alert = checkAdjacent(e, adjacent: adjacent, role: role, persons: h.persons.count, observing: observing)
        {
            alerts.append(alert)
            w.raised.insert("order")
            w.alerted = true
        }
        if let role, let q0 = role.role.freshShareAtMost, !w.raised.contains("scrape") {
            var shape = shapes[e.principal] ?? RoleShape()
            if shape.scrape.observe(fresh, at: e.at, p0: q0, p1: settings.scrapeShare) >= settings.scrapeThreshold {
                let run = shape.scrape
                alerts.append(
                    GuardAlert(
                        at: e.at, principal: e.principal, severity: .high, kind: "scrape",
                        explanation:
                            "\(e.principal) (role \(role)) read \(run.hits) persons it had not read in the last day in its last \(run.observations) reads, over \(e.at - run.start) s (\(Self.percent(Double(run.hits) / Double(max(run.observations, 1))))), where \(role.role.kindOfPrincipal) reads at most \(Self.percent(q0)) such persons: it is reading through people, not serving them; it has read \(h.persons.count) distinct persons in all",
                        persons: run.hits, decisive: true, observing: observing))
                shape.scrape.reset()
                w.raised.insert("scrape")
                w.alerted = true
            }
            shapes[e.principal] = shape
        }
        if let role, let q0 = role.role.inactiveShareAtMost { alerts += checkActivity(person, e, role: role, q0: q0, w: &w, observing: observing) }
        // A batch job reads everyone: enumeration is its work, bounded by its hours instead.
        guard role?.role.readsEveryone != true else { return alerts }
        var alert: GuardAlert?
        if h.totalReads > settings.freshWarmupReads && h.learnedReads > 0 {
            let q0 = min(max(h.freshRate, 0.01), 0.95)
            let q1 = q0 + settings.freshShift * (1 - q0)
            h.judge(fresh: fresh, at: e.at, q0: q0, q1: q1)
            let excess = Double(h.runFresh) - q0 * Double(h.runReads)
            let watched = lastHigh[e.principal].map { e.at - $0 < 86_400 } ?? false
            // The run's own share must reach the raised rate the alarm is about: a slow drift of an app's audience
            // (69% where 64% is usual, over hours) crosses the threshold too, and is not an enumeration. A principal
            // that raised a high alert in the last day is watched: half the threshold, and no such proof asked.
            let reached = watched || Double(h.runFresh) >= q1 * Double(h.runReads)
            // One such alert a window: a scrape that goes on is the same incident until the next window.
            if !w.alerted && h.cusum >= settings.freshThreshold / (watched ? 2 : 1) && excess >= Double(settings.minimumPersons) && reached {
                alert = GuardAlert(
                    at: e.at, principal: e.principal, severity: .high, kind: "enumeration",
                    explanation:
                        "\(e.principal) read \(h.runFresh) persons it had not read in the last day in its last \(h.runReads) reads, over \(e.at - h.runStart) s (\(Self.percent(Double(h.runFresh) / Double(max(h.runReads, 1)))) such reads, where \(Self.percent(q0)) is usual for it): it is walking through people one by one; it has read \(h.persons.count) distinct persons in all",
                    persons: h.runFresh, observing: observing)
                h.resetRun()
            }
        }
        if first, alert == nil, !h.alertedToday {
            let limit: Double?
            let against: String
            if let need = settings.dailyPersons[e.principal] ?? role?.role.dailyPersonsAtMost {
                limit = Double(need)
                against = "its role needs at most \(need)"
            } else if h.days >= settings.dailyWarmup {
                let sigma = max(h.dayVariance.squareRoot(), h.dayMean.squareRoot(), 1)
                limit = max(settings.dailyFactor * h.dayMean + settings.high * sigma, Double(settings.minimumPersons))
                against = "it usually needs \(Int(h.dayMean.rounded())) a day"
            } else {
                limit = nil
                against = ""
            }
            if let limit, Double(h.lastDayFirst) > limit {
                h.alertedToday = true
                alert = GuardAlert(
                    at: e.at, principal: e.principal, severity: .high, kind: "enumeration",
                    explanation:
                        "\(e.principal) read \(h.lastDayFirst) persons it had never read before in 24 hours, where \(against); it has read \(h.persons.count) distinct persons in all",
                    persons: h.lastDayFirst, observing: observing)
            }
        }
        if let alert {
            w.alerted = true
            alerts.append(alert)
        }
        return alerts
    }

    static func percent(_ x: Double) -> String { "\(Int((x * 100).rounded()))%" }

    /// The histories changed since the last call, as bytes to store (principal → `PrincipalHistory.encoded()`).
    public mutating func takeChanged() -> [String: [UInt8]] {
        var out: [String: [UInt8]] = [:]
        for p in changed { if let h = histories[p] { out[p] = h.encoded() } }
        changed = []
        return out
    }

    /// Puts back a principal's stored history (at start, or another server's, merged): its person
    /// filter is united with the one in memory, the counts take the larger side.
    public mutating func restore(_ principal: String, _ stored: PrincipalHistory) {
        guard var h = histories[principal] else {
            histories[principal] = stored
            return
        }
        h.merge(stored)
        histories[principal] = h
    }

    /// Closes every window that ended by `time`; returns their alerts.
    public mutating func close(until time: Int64) -> [GuardAlert] {
        guard let start = windowStart, time >= start + settings.window else { return [] }
        let end = start + settings.window
        let hour = Int((start % 86_400) / 3600)
        var alerts: [GuardAlert] = []
        for (principal, w) in open.sorted(by: { $0.key < $1.key }) {
            let n = Double(max(w.requests, 1))
            let x = WindowFeatures(
                requests: Double(w.requests), distinctPersons: Double(w.persons.count), refusals: Double(w.refusals) / n,
                errors: Double(w.errors) / n, exportsAndErasures: Double(w.exports), offHours: Double(w.offHours) / n,
                newRoutes: Double(w.newRoutes) / n, firstTimePersons: Double(w.firstTime))
            // A principal whose freshness CUSUM is building up is not learned from meanwhile.
            let building = (histories[principal]?.cusum ?? 0) >= settings.freshThreshold / 4
            if w.alerted {  // already alerted as it happened; not learned from
                histories[principal]?.closeWindow(learn: false, decay: settings.freshDecay)
                calm[principal] = 0
                continue
            }
            let alert = judge(principal, x, hour: hour, at: end, persons: w.persons.count, role: w.role, reads: w.reads)
            calm[principal] = alert == nil && usualShare(principal, w, role: w.role) ? (calm[principal] ?? 0) + 1 : 0
            histories[principal]?.closeWindow(learn: alert == nil && !building, decay: settings.freshDecay)
            if let alert {
                alerts.append(alert)
                if alert.severity >= .high { lastHigh[principal] = alert.at }
            } else if !building {
                learn(principal, x.vector, hour: hour)
            }
        }
        // Principals silent in this window had a window of zeros: that is part of their baseline too.
        for principal in overall.keys where open[principal] == nil {
            learn(principal, [Double](repeating: 0, count: WindowFeatures.names.count), hour: hour)
            calm[principal, default: 0] += 1
        }
        open = [:]
        windowStart = end
        return alerts + close(until: time)
    }

    /// The baseline this principal is compared with at this hour: its own for the hour once warm, then
    /// its own over all hours, then everyone's.
    func baseline(_ principal: String, hour: Int) -> (FeatureBaseline, String) {
        if let h = hourly[principal]?[hour], h.windows >= settings.warmup { return (h, "its baseline at this hour") }
        if let o = overall[principal], o.windows >= settings.warmup { return (o, "its baseline") }
        return (population, Self.everyone)
    }

    static let everyone = "the baseline of all keys"

    mutating func learn(_ principal: String, _ x: [Double], hour: Int) {
        var h = hourly[principal] ?? Array(repeating: FeatureBaseline(), count: 24)
        h[hour].update(x)
        hourly[principal] = h
        overall[principal]?.update(x)
        if x[0] > 0 {
            population.update(x)
            if settings.forestThreshold != nil && forest == nil {
                benign.append(x)
                if benign.count >= settings.forestAfter {
                    let fitted = IsolationForest(points: benign, seed: 7)
                    // Calibrated on its own benign windows: the threshold sits above all but the rarest 0.1%.
                    let scores = benign.map(fitted.score).sorted()
                    forestCutoff = max(settings.forestThreshold ?? 1, scores[min(scores.count - 1, Int(Double(scores.count) * 0.999))])
                    forest = fitted
                }
            }
        }
    }

    /// "1.5× its baseline at this hour (273.3)", or "where its baseline at this hour is 0".
    static func compared(_ value: Double, mean: Double, against: String) -> String {
        mean > 0.05 ? "\(String(format: "%.1f", value / mean))× \(against) (\(String(format: "%.1f", mean)))" : "where \(against) is 0"
    }

    func judge(_ principal: String, _ x: WindowFeatures, hour: Int, at: Int64, persons: Int, role: RoleAssignment?, reads: Int) -> GuardAlert? {
        let observing = isObserving(principal, at: at)
        let (base, against) = baseline(principal, hour: hour)
        // An observed principal without its own baseline yet is not judged by others'.
        if observing && against == Self.everyone { return nil }
        let bulk = role?.role.readsEveryone != true
        guard var alert = judgeWindow(principal, x, hour: hour, at: at, persons: persons, base: base, against: against, bulk: bulk) else { return nil }
        alert.observing = observing
        // The isolation forest judges features that are still forming for an observed principal (its hours, its routes).
        if observing && alert.kind == "pattern" { return nil }
        if alert.kind == "volume" {
            var w = OpenWindow()
            w.reads = reads
            w.firstTime = Int(x.firstTimePersons)
            guard let shape = unusualVolume(principal, w, role: role) else { return nil }
            alert.explanation += shape
        }
        return alert
    }

    func judgeWindow(
        _ principal: String, _ x: WindowFeatures, hour: Int, at: Int64, persons: Int, base: FeatureBaseline, against: String, bulk: Bool
    ) -> GuardAlert? {
        let z = base.scores(x.vector, floor: settings.floors)
        let m = base.mean
        func times(_ i: Int) -> String { Self.compared(x.vector[i], mean: m[i], against: against) }
        let window = "\(settings.window / 60) minutes"
        if bulk && z[1] >= settings.high && persons >= settings.minimumPersons {
            var text = "\(principal) read \(persons) distinct persons in \(window), \(times(1))"
            if x.offHours >= 0.5 { text += ", at \(hour):00 UTC, an hour it is rarely active in" }
            return GuardAlert(at: at, principal: principal, severity: .high, kind: "volume", explanation: text, persons: persons)
        }
        if bulk && z[7] >= settings.high && x.firstTimePersons >= Double(settings.minimumPersons) {
            return GuardAlert(
                at: at, principal: principal, severity: .high, kind: "enumeration",
                explanation:
                    "\(principal) read \(Int(x.firstTimePersons)) persons it had not read in the last day in \(window), \(times(7)): it is walking through people one by one",
                persons: persons)
        }
        if z[4] >= settings.high && x.exportsAndErasures >= 3 {
            return GuardAlert(
                at: at, principal: principal, severity: .high, kind: "exports",
                explanation: "\(principal) exported or erased \(Int(x.exportsAndErasures)) persons' data in \(window), \(times(4))", persons: persons)
        }
        if z[2] >= settings.high && x.refusals * x.requests >= 10 {
            return GuardAlert(
                at: at, principal: principal, severity: .high, kind: "refusals",
                explanation:
                    "\(principal) was refused \(Int(x.refusals * x.requests)) of \(Int(x.requests)) requests in \(window) (\(Int(x.refusals * 100))%), against \(String(format: "%.0f", m[2] * 100))% usually: it is asking for data it may not see",
                persons: persons)
        }
        if bulk && z[1] >= settings.medium && x.offHours >= 0.5 && persons >= settings.minimumPersons {
            return GuardAlert(
                at: at, principal: principal, severity: .high, kind: "off-hours",
                explanation: "\(principal) read \(persons) distinct persons in \(window) at \(hour):00 UTC, an hour it is rarely active in, \(times(1))",
                persons: persons)
        }
        if z[3] >= settings.high && x.errors * x.requests >= 10 {
            return GuardAlert(
                at: at, principal: principal, severity: .medium, kind: "errors",
                explanation: "\(principal) got \(Int(x.errors * x.requests)) error answers in \(window): probing for ids or routes", persons: persons)
        }
        if let forest, x.requests > 0 {
            let s = forest.score(x.vector)
            if s > forestCutoff {
                let worst = z.indices.max { z[$0] < z[$1] }!
                return GuardAlert(
                    at: at, principal: principal, severity: .medium, kind: "pattern",
                    explanation:
                        "\(principal)'s activity in \(window) is unlike any seen (isolation score \(String(format: "%.2f", s))); most unusual: \(WindowFeatures.names[worst]) \(String(format: "%.1f", x.vector[worst]))",
                    persons: persons)
            }
        }
        return nil
    }
}
