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

    struct OpenWindow {
        var requests = 0, refusals = 0, errors = 0, exports = 0, offHours = 0, newRoutes = 0, firstTime = 0
        var persons = Set<String>()
        /// The distinct-person count at which this window alerts without waiting for its end.
        var personLimit: Int?
        var alerted = false
    }

    public init(settings: Settings = Settings()) { self.settings = settings }

    /// Takes events in time order; returns the alerts they raise (canaries at once, the rest when a
    /// window closes).
    public mutating func observe(_ e: AccessEvent) -> [GuardAlert] {
        var alerts = close(until: e.at)
        if windowStart == nil { windowStart = e.at - e.at % settings.window }
        let hour = Int((e.at % 86_400) / 3600)
        var w = open[e.principal] ?? OpenWindow()
        w.requests += 1
        if let person = e.person { w.persons.insert(person) }
        if [401, 403, 429].contains(e.status) { w.refusals += 1 } else if e.status >= 400 { w.errors += 1 }
        if e.kind == .export || e.kind == .erase { w.exports += 1 }
        if overall[e.principal] == nil { overall[e.principal] = FeatureBaseline() }
        if overall[e.principal]!.isOffHours(hour) { w.offHours += 1 }
        if overall[e.principal]!.windows >= settings.warmup && !overall[e.principal]!.knows(route: e.route) { w.newRoutes += 1 }
        overall[e.principal]!.observe(hour: hour, route: e.route)
        if let person = e.person, e.status < 400, let alert = read(person, w: &w, e) { alerts.append(alert) }
        // Bulk reading alerts as it happens, not when the window ends: every request counts.
        if w.personLimit == nil {
            let (b, _) = baseline(e.principal, hour: hour)
            let limit = b.mean[1] + settings.high * max(b.variance[1].squareRoot(), settings.floors[1])
            w.personLimit = max(settings.minimumPersons, Int(limit.rounded(.up)))
        }
        if !w.alerted, w.persons.count > w.personLimit! {
            w.alerted = true
            let (b, against) = baseline(e.principal, hour: hour)
            let ratio = Self.compared(Double(w.persons.count), mean: b.mean[1], against: against)
            let elapsed = max(1, e.at - (windowStart ?? e.at))
            alerts.append(
                GuardAlert(
                    at: e.at, principal: e.principal, severity: .high, kind: "volume",
                    explanation: "\(e.principal) read \(w.persons.count) distinct persons in \(elapsed) s, \(ratio) for \(settings.window / 60) minutes",
                    persons: w.persons.count))
        }
        open[e.principal] = w
        if let person = e.person, settings.canaries.contains(person) {
            alerts.append(
                GuardAlert(
                    at: e.at, principal: e.principal, severity: .critical, kind: "canary",
                    explanation: "\(e.principal) touched a canary person (\(e.route)): canaries are never returned in normal results", persons: w.persons.count)
            )
        }
        return alerts
    }

    /// One successful read of a person: fresh or not (read in the last day), the freshness CUSUM, and
    /// the 24-hour count of first-time persons (never read before) against what the principal's role
    /// needs. Returns an alert when either says enumeration; the window is then not learned from.
    mutating func read(_ person: String, w: inout OpenWindow, _ e: AccessEvent) -> GuardAlert? {
        var h = histories.removeValue(forKey: e.principal) ?? PrincipalHistory(maximumBits: settings.filterBits)
        defer {
            histories[e.principal] = h
            changed.insert(e.principal)
        }
        let (first, fresh) = h.readPerson(person, at: e.at)
        if fresh { w.firstTime += 1 }
        var alert: GuardAlert?
        if h.totalReads > settings.freshWarmupReads && h.learnedReads > 0 {
            let q0 = min(max(h.freshRate, 0.01), 0.95)
            let q1 = q0 + settings.freshShift * (1 - q0)
            h.judge(fresh: fresh, at: e.at, q0: q0, q1: q1)
            let excess = Double(h.runFresh) - q0 * Double(h.runReads)
            if h.cusum >= settings.freshThreshold && excess >= Double(settings.minimumPersons) {
                alert = GuardAlert(
                    at: e.at, principal: e.principal, severity: .high, kind: "enumeration",
                    explanation:
                        "\(e.principal) read \(h.runFresh) persons it had not read in the last day in its last \(h.runReads) reads, over \(e.at - h.runStart) s (\(Self.percent(Double(h.runFresh) / Double(max(h.runReads, 1)))) such reads, where \(Self.percent(q0)) is usual for it): it is walking through people one by one; it has read \(h.persons.count) distinct persons in all",
                    persons: h.runFresh)
                h.resetRun()
            }
        }
        if first, alert == nil, !h.alertedToday {
            let limit: Double?
            let against: String
            if let need = settings.dailyPersons[e.principal] {
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
                    persons: h.lastDayFirst)
            }
        }
        if alert != nil { w.alerted = true }
        return alert
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
                continue
            }
            let alert = judge(principal, x, hour: hour, at: end, persons: w.persons.count)
            histories[principal]?.closeWindow(learn: alert == nil && !building, decay: settings.freshDecay)
            if let alert {
                alerts.append(alert)
            } else if !building {
                learn(principal, x.vector, hour: hour)
            }
        }
        // Principals silent in this window had a window of zeros: that is part of their baseline too.
        for principal in overall.keys where open[principal] == nil { learn(principal, [Double](repeating: 0, count: WindowFeatures.names.count), hour: hour) }
        open = [:]
        windowStart = end
        return alerts + close(until: time)
    }

    /// The baseline this principal is compared with at this hour: its own for the hour once warm, then
    /// its own over all hours, then everyone's.
    func baseline(_ principal: String, hour: Int) -> (FeatureBaseline, String) {
        if let h = hourly[principal]?[hour], h.windows >= settings.warmup { return (h, "its baseline at this hour") }
        if let o = overall[principal], o.windows >= settings.warmup { return (o, "its baseline") }
        return (population, "the baseline of all keys")
    }

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

    func judge(_ principal: String, _ x: WindowFeatures, hour: Int, at: Int64, persons: Int) -> GuardAlert? {
        let (base, against) = baseline(principal, hour: hour)
        let z = base.scores(x.vector, floor: settings.floors)
        let m = base.mean
        func times(_ i: Int) -> String { Self.compared(x.vector[i], mean: m[i], against: against) }
        let window = "\(settings.window / 60) minutes"
        if z[1] >= settings.high && persons >= settings.minimumPersons {
            var text = "\(principal) read \(persons) distinct persons in \(window), \(times(1))"
            if x.offHours >= 0.5 { text += ", at \(hour):00 UTC, an hour it is rarely active in" }
            return GuardAlert(at: at, principal: principal, severity: .high, kind: "volume", explanation: text, persons: persons)
        }
        if z[7] >= settings.high && x.firstTimePersons >= Double(settings.minimumPersons) {
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
        if z[1] >= settings.medium && x.offHours >= 0.5 && persons >= settings.minimumPersons {
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
