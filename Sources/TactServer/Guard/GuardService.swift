import Foundation
import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle
import TactEngine
import TactGuard
import TactPrivacy
import TactStore

/// The Guard inside the server: every audited access to a person's data goes through the
/// `AccessMonitor` as it happens, with the key's role and what the person's id says about order (the
/// id itself stays here). An alert is stored and audited, and answered as `GuardResponse` decides: by
/// default a decisive one (a canary, a role violated, reading through people) suspends the key
/// (`tact keys reinstate` restores it), a high one throttles it, and a throttle is lifted, logged and
/// notified, once the key's shape is usual again; a person token's alert is recorded only (its
/// refused requests already reach nothing).
///
/// The monitor's long-horizon state (`PrincipalHistory`: who read whom, over days) is saved to the
/// store every `saveSeconds` and at shutdown, and read back at start, so a restart does not forget it.
///
/// **Several servers sharing one database** (`shared`, the default on PostgreSQL): each server
/// appends the accesses it sees to the store (`guard_events`) every `syncSeconds` instead of
/// watching them itself, and the one server holding the Guard's lease (`guard_leases`, renewed at
/// each sync, taken over when it lapses) feeds every server's accesses, in commit order, to one
/// monitor: one scrape spread over N servers is seen as one scrape, `syncSeconds` later. Rate limits
/// hold across servers too: each server records what it admitted per key and second
/// (`rate_usage`) and does not refill the part of a key's rate the others are using.
final class GuardService: Service, Sendable {
    private let monitor: NIOLockedValueBox<AccessMonitor>
    /// Whether accesses are shared through the store (several servers), or watched here as they happen.
    let shared: Bool
    /// This process, as the lease and the rate usage name it.
    let server: String
    let syncSeconds: Double
    let saveSeconds: Double
    static let leaseSeconds: Int64 = 10
    /// Shared events older than this are dropped.
    static let keepEventsSeconds: Int64 = 3600
    /// Rate usage of other servers is averaged over this many seconds.
    static let rateWindow: Int64 = 5
    /// How often the store's persons are counted again (for the share of them that is inactive).
    static let countSeconds: Int64 = 600
    /// The most accesses kept here while the store cannot take them.
    static let maximumPending = 100_000
    private struct Sync {
        var pending: [AccessEvent] = []
        var leader = false
        var lastSave: Int64 = 0
        var lastPrune: Int64 = 0
        var lastCount: Int64 = 0
        var restored = false
    }
    private let sync = NIOLockedValueBox(Sync())
    private let engine: Engine
    private let keys: KeyCache
    private let limiter: RateLimiter
    let response: GuardResponse
    /// What each principal's ids say about order (in memory; the ids never leave this process).
    private let idOrder = NIOLockedValueBox(IdOrder())
    /// Per key id: when it was last throttled, and when its last throttle was lifted (for the notice and escalation).
    private let throttles = NIOLockedValueBox<[String: (at: Int64, lifted: Int64?)]>([:])
    let webhook: AlertWebhook?
    /// Scans what leaves in personal responses for data that must never leave.
    let egressCheck = EgressCheck()
    let egressEnabled: Bool
    /// The leaked values already alerted on: each is one alert, not one per answer.
    let egressMemory = EgressMemory()
    /// Alerts being stored and acted on in the background.
    private let dispatch: AlertDispatch
    /// A throttled key's rate, in requests per second.
    let throttledRate: Double

    init(
        engine: Engine, keys: KeyCache, limiter: RateLimiter, settings: AccessMonitor.Settings = AccessMonitor.Settings(),
        response: GuardResponse = .standard,
        throttledRate: Double = 0.1, webhook: AlertWebhook? = nil,
        egress: Bool = true, shared: Bool = false, syncSeconds: Double = 1, saveSeconds: Double = 30, dispatch: AlertDispatch = AlertDispatch()
    ) {
        egressEnabled = egress
        self.dispatch = dispatch
        monitor = NIOLockedValueBox(AccessMonitor(settings: settings))
        self.engine = engine
        self.keys = keys
        self.limiter = limiter
        self.response = response
        self.throttledRate = throttledRate
        self.webhook = webhook
        self.shared = shared
        self.syncSeconds = max(0.05, syncSeconds)
        self.saveSeconds = saveSeconds
        var random = SystemRandomNumberGenerator()
        server = "server-" + String(random.next(), radix: 16)
        if shared { limiter.countUsage() }
    }

    /// Takes one access; returns at once (alerts are stored and acted on in the background). `personID` is the
    /// id in the path, used here for its order only. When shared, the access waits for the next `sync()` to
    /// reach the store and the lease holder's monitor.
    func observe(_ event: AccessEvent, personID: String? = nil) {
        var event = event
        // Keys only: a person token reads its own person, and there are far more tokens than keys to remember.
        if let personID, event.principal.hasPrefix("key:") { event.order = idOrder.withLockedValue { $0.next(event.principal, id: personID) } }
        if shared {
            // Bounded: should the store be out of reach for long, the oldest accesses go first.
            sync.withLockedValue { s in
                if s.pending.count >= Self.maximumPending { s.pending.removeFirst(s.pending.count / 10) }
                s.pending.append(event)
            }
            return
        }
        feed([event])
    }

    /// Events sent by `principal` (each person's pseudonym hex, with the time of their latest event), as they
    /// arrive: they tell the monitor who is active and whom each key serves (`ActivityMemory`). Persons whose
    /// events are older than the memory's window are left out; the others count as active now. When shared,
    /// they reach the lease holder's monitor with the accesses.
    func noteEvents(principal: String, latest: [(person: String, at: Int64)], now: Int64) {
        let start = monitor.withLockedValue { $0.activity.windowBegins(at: now) }
        let events = latest.filter { $0.at >= start }.map {
            AccessEvent(at: now, principal: principal, person: $0.person, route: "POST /v1/events", kind: .ingest)
        }
        guard !events.isEmpty else { return }
        if shared {
            sync.withLockedValue { s in
                if s.pending.count + events.count > Self.maximumPending { s.pending.removeFirst(min(s.pending.count, s.pending.count / 10 + events.count)) }
                s.pending += events
            }
            return
        }
        feed(events)
    }

    /// Who the monitor knows to be active, and for whom each key sent events (for tests and diagnostics).
    func activity() -> ActivityMemory { monitor.withLockedValue { $0.activity } }

    /// What the monitor remembers of a principal over days (for tests and diagnostics).
    func history(of principal: String) -> PrincipalHistory? { monitor.withLockedValue { $0.histories[principal] } }

    /// Shows events to the monitor. An alert's mitigation takes effect before this returns, so the key's next
    /// request is already refused or throttled; storing the alert and the suspension, the audit entries and the
    /// webhook follow in the background.
    private func feed(_ events: [AccessEvent]) {
        let (alerts, calm) = monitor.withLockedValue { m in
            let alerts = events.flatMap { m.observe($0) }
            let calm = limiter.throttledKeys.filter { m.calmWindows(of: "key:" + $0) >= m.settings.calmWindows }
            return (alerts, calm)
        }
        let lifted = calm.map { liftNow($0, at: events.last?.at ?? Int64(Date().timeIntervalSince1970)) }
        guard !alerts.isEmpty || !lifted.isEmpty else { return }
        let actions = alerts.map { mitigateNow($0) }
        dispatch.start { [self] in
            for (alert, action) in zip(alerts, actions) {
                let record = recordAlert(alert, action: action)
                notify(record)
            }
            for notice in lifted {
                let record = recordAlert(notice, action: .alert, recordedAction: "lift")
                notify(record)
            }
        }
    }

    /// Lifts a throttle whose key's shape is usual again; returns the notice to record.
    private func liftNow(_ id: String, at: Int64) -> GuardAlert {
        limiter.unthrottle(id)
        let since = throttles.withLockedValue { t in
            t[id]?.lifted = at
            return t[id]?.at
        }
        return GuardAlert(
            at: at, principal: "key:" + id, severity: .notice, kind: "throttle-lifted",
            explanation:
                "key:\(id)'s throttle\(since.map { " (since \(at - $0) s ago)" } ?? "") is lifted: its accesses have had their usual shape for \(monitor.withLockedValue { $0.settings.calmWindows * Int($0.settings.window) / 60 }) minutes. Another high alert within a day suspends it",
            persons: 0)
    }

    /// Syncs every `syncSeconds` until shutdown, then saves the long-horizon state one last time.
    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .milliseconds(Int64(self.syncSeconds * 1000))) }
            try? await StoreWork.background(waitsOnNetwork: engine.storeWaitsOnNetwork) { self.sync() }
        }
        self.sync(final: true)
        await settled()
    }

    /// Returns once every alert raised so far is stored, audited and mitigated. Webhook deliveries are not
    /// waited for: with their back-off they may take a minute, and the alert is in the store already.
    func settled() async { await dispatch.settled() }

    private func notify(_ record: GuardAlertRecord) {
        guard let webhook else { return }
        Task.detached { await webhook.deliver(record) }
    }

    /// One round with the store. Reads the stored long-horizon state the first time. When shared:
    /// appends the accesses seen here since the last round, takes or renews the Guard's lease and, while
    /// holding it, feeds every server's new accesses to the monitor; records and reads rate usage. Saves
    /// the long-horizon state every `saveSeconds` (the lease holder's, when shared). Failures are logged
    /// and the round is tried again next time (accesses not yet stored wait for it).
    func sync(now: Int64 = Int64(Date().timeIntervalSince1970), final: Bool = false) {
        do {
            try restoreOnce()
            if shared { try exchange(now: now) }
            let due = sync.withLockedValue { s in
                (!shared || s.leader) && (final || now - s.lastSave >= Int64(saveSeconds))
            }
            if due {
                let changed = monitor.withLockedValue { $0.takeChanged() }
                try engine.guardRecords.save(states: changed, at: now)
                sync.withLockedValue { $0.lastSave = now }
            }
            // The persons the store holds, for the activity signal: new sign-ups join them.
            if (!shared || sync.withLockedValue({ $0.leader })) && now - sync.withLockedValue({ $0.lastCount }) >= Self.countSeconds {
                let people = try engine.guardRecords.people()
                monitor.withLockedValue { $0.countPopulation(people) }
                sync.withLockedValue { $0.lastCount = now }
            }
        } catch {
            engine.logger.error("the Guard could not sync with the store; it tries again", metadata: ["error": .string("\(error)")])
        }
    }

    /// Reads the stored long-horizon state into the monitor, once (merged with anything already learned).
    private func restoreOnce() throws {
        guard !sync.withLockedValue({ $0.restored }) else { return }
        try restoreStates()
        sync.withLockedValue { $0.restored = true }
    }

    /// Reads the stored long-horizon state, and who was active in the activity memory's window, into the monitor.
    private func restoreStates() throws {
        let now = Int64(Date().timeIntervalSince1970)
        let active = try engine.guardRecords.recentActivity(since: monitor.withLockedValue { $0.activity.windowBegins(at: now) })
        monitor.withLockedValue { $0.fillActivity(active.latest, population: active.people, now: now) }
        sync.withLockedValue { $0.lastCount = now }
        let stored = try engine.guardRecords.states()
        var damaged = 0
        monitor.withLockedValue { m in
            for (principal, bytes) in stored {
                if let history = try? PrincipalHistory(decoding: bytes) { m.restore(principal, history) } else { damaged += 1 }
            }
        }
        if damaged > 0 {
            engine.logger.warning(
                "the Guard ignored stored states it could not read; those principals are learned again",
                metadata: ["count": .stringConvertible(damaged)])
        }
    }

    private func exchange(now: Int64) throws {
        let pending = sync.withLockedValue { s in
            defer { s.pending = [] }
            return s.pending
        }
        let records = pending.map {
            GuardEventRecord(
                at: $0.at, principal: $0.principal, person: $0.person, route: $0.route, kind: $0.kind.rawValue, status: $0.status,
                role: $0.role?.description, order: $0.order?.code)
        }
        let usage = limiter.takeUsage()
        let cursor: Int64?
        do {
            cursor = try engine.guardRecords.share(records, usage: usage, server: server, now: now, leaseSeconds: Self.leaseSeconds)
        } catch {
            // Not stored: they wait for the next round (at most `maximumPending` of them).
            sync.withLockedValue { s in s.pending = Array((pending + s.pending).suffix(Self.maximumPending)) }
            throw error
        }
        let others = try engine.guardRecords.usageElsewhere(since: now - Self.rateWindow + 1, excluding: server)
        limiter.setElsewhere(others.mapValues { Double($0) / Double(Self.rateWindow) })
        guard var position = cursor else {
            sync.withLockedValue { $0.leader = false }
            return
        }
        let becoming = sync.withLockedValue { s in
            defer { s.leader = true }
            return !s.leader
        }
        // A new lease holder starts from what the last one saved.
        if becoming { try restoreStates() }
        let start = position
        while true {
            let batch = try engine.guardRecords.sharedEvents(after: position, limit: 10_000)
            feed(
                batch.map {
                    AccessEvent(
                        at: $0.at, principal: $0.principal, person: $0.person, route: $0.route, kind: AccessEvent.Kind(rawValue: $0.kind) ?? .read,
                        status: $0.status, role: $0.role.flatMap(RoleAssignment.init(text:)), order: $0.order.flatMap(IdOrder.Step.init(code:)))
                })
            position = batch.last?.id ?? position
            if batch.count < 10_000 { break }
        }
        if position != start { try engine.guardRecords.advance(holder: server, to: position) }
        if now - sync.withLockedValue({ $0.lastPrune }) >= 60 {
            try engine.guardRecords.prune(eventsBefore: now - Self.keepEventsSeconds, usageBefore: now - 60)
            sync.withLockedValue { $0.lastPrune = now }
        }
    }

    /// The response body with any data that must never leave replaced by its type tag; a value not seen
    /// before is a high alert ("egress"), recorded but not held against the caller, whose request was
    /// legitimate. The same value in later answers is replaced without another alert.
    func egress(_ body: [UInt8], principal: String?, route: String) -> [UInt8] {
        guard egressEnabled else { return body }
        let result = egressCheck.check(body)
        guard !result.clean else { return body }
        let fresh = egressMemory.unseen(result.findings, in: body)
        guard !fresh.isEmpty else { return result.body }
        var counts: [PIIType: Int] = [:]
        for f in fresh { counts[f.type, default: 0] += 1 }
        let found = CatalogScrubber.describe(counts)
        let alert = GuardAlert(
            at: Int64(Date().timeIntervalSince1970), principal: principal ?? "unknown", severity: .high, kind: "egress",
            explanation:
                "a response of \(route) held \(found); it was sent with them replaced by their type tags. Find where they entered the catalog or the reasons",
            persons: 0)
        dispatch.start { [self] in
            let record = recordAlert(alert, action: .alert)
            notify(record)
        }
        return result.body
    }

    /// A catalog write brought personal data (replaced before it was stored): one medium alert that names the
    /// writer, so the source can be fixed; the writer is not punished.
    func flagCatalogWrite(principal: String, found: [PIIType: Int], items: Int) {
        let alert = GuardAlert(
            at: Int64(Date().timeIntervalSince1970), principal: principal, severity: .medium, kind: "catalog-pii",
            explanation:
                "a catalog write of \(items) item(s) by \(principal) held \(CatalogScrubber.describe(found)) in titles or tags; they were stored replaced by their type tags. Fix the source of the catalog",
            persons: 0)
        dispatch.start { [self] in
            let record = recordAlert(alert, action: .alert)
            notify(record)
        }
    }

    /// What is done about `alert` (`GuardResponse` decides), in memory and at once: a key to be suspended is
    /// held (its next request is refused) until the suspension is stored; a key to be throttled is slowed.
    private func mitigateNow(_ alert: GuardAlert) -> GuardMitigation {
        let id = String(alert.principal.dropFirst(4))
        let action = throttles.withLockedValue { response.action(for: alert, liftedAt: $0[id]?.lifted) }
        switch action {
        case .suspend: keys.hold(id)
        case .throttle:
            limiter.throttle(id, rate: throttledRate)
            throttles.withLockedValue { $0[id] = (alert.at, nil) }
        case .alert: break
        }
        return action
    }

    /// Stores the alert and the suspension it decided, and records both in the audit log. A suspension that
    /// cannot be stored is released (the key works again) and the alert is recorded as an alert only.
    @discardableResult
    func recordAlert(_ alert: GuardAlert, action decided: GuardMitigation, recordedAction: String? = nil) -> GuardAlertRecord {
        var action = decided
        if action == .suspend {
            let id = String(alert.principal.dropFirst(4))
            do {
                try APIKeyService(engine: engine).suspend(id: id, reason: "\(alert.severity.rawValue) \(alert.kind) alert: \(alert.explanation)", at: alert.at)
                keys.invalidate()
            } catch {
                engine.logger.error("the Guard could not suspend a key", metadata: ["key": .string(id), "error": .string("\(error)")])
                action = .alert
            }
            keys.release(id)
        }
        var record = GuardAlertRecord(
            at: alert.at, principal: alert.principal, severity: alert.severity.rawValue, kind: alert.kind,
            explanation: alert.explanation, persons: alert.persons, action: recordedAction ?? action.rawValue)
        do {
            record = try engine.guardRecords.record(record)
        } catch {
            engine.logger.error("the Guard could not store an alert", metadata: ["error": .string("\(error)")])
        }
        engine.logger.warning(
            "guard alert",
            metadata: [
                "principal": .string(alert.principal), "severity": .string(alert.severity.rawValue),
                "kind": .string(alert.kind), "action": .string(recordedAction ?? action.rawValue)
            ])
        return record
    }
}
