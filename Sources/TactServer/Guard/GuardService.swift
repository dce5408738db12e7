import Foundation
import Logging
import NIOConcurrencyHelpers
import TactEngine
import TactGuard
import TactPrivacy
import TactStore

/// The Guard inside the server: every audited access to a person's data goes through the
/// `AccessMonitor` as it happens. An alert is stored and audited, and mitigated by its severity: by
/// default a high or critical alert suspends the key (`tact keys reinstate` restores it); a person
/// token's alert is recorded only (its refused requests already reach nothing).
final class GuardService: Sendable {
    private let monitor: NIOLockedValueBox<AccessMonitor>
    private let engine: Engine
    private let keys: KeyCache
    private let limiter: RateLimiter
    let mitigation: [GuardAlert.Severity: GuardMitigation]
    let webhook: AlertWebhook?
    /// Scans what leaves in personal responses for data that must never leave.
    let egressCheck = EgressCheck()
    let egressEnabled: Bool
    /// The leaked values already alerted on: each is one alert, not one per answer.
    let egressMemory = EgressMemory()
    /// A throttled key's rate: one request every ten seconds.
    static let throttledRate = 0.1

    init(engine: Engine, keys: KeyCache, limiter: RateLimiter, settings: AccessMonitor.Settings = AccessMonitor.Settings(),
         mitigation: [GuardAlert.Severity: GuardMitigation] = [.medium: .alert, .high: .suspend, .critical: .suspend], webhook: AlertWebhook? = nil,
         egress: Bool = true) {
        egressEnabled = egress
        monitor = NIOLockedValueBox(AccessMonitor(settings: settings))
        self.engine = engine
        self.keys = keys
        self.limiter = limiter
        self.mitigation = mitigation
        self.webhook = webhook
    }

    /// Takes one access; returns at once (alerts are stored and acted on in the background).
    func observe(_ event: AccessEvent) {
        let alerts = monitor.withLockedValue { $0.observe(event) }
        guard !alerts.isEmpty else { return }
        Task.detached { [self] in
            for alert in alerts {
                let record = act(on: alert)
                if let webhook { await webhook.deliver(record) }
            }
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
        let alert = GuardAlert(at: Int64(Date().timeIntervalSince1970), principal: principal ?? "unknown", severity: .high, kind: "egress",
                               explanation: "a response of \(route) held \(found); it was sent with them replaced by their type tags. Find where they entered the catalog or the reasons",
                               persons: 0)
        Task.detached { [self] in
            let record = act(on: alert, mitigate: false)
            if let webhook { await webhook.deliver(record) }
        }
        return result.body
    }

    /// A catalog write brought personal data (replaced before it was stored): one medium alert that names the
    /// writer, so the source can be fixed; the writer is not punished.
    func flagCatalogWrite(principal: String, found: [PIIType: Int], items: Int) {
        let alert = GuardAlert(at: Int64(Date().timeIntervalSince1970), principal: principal, severity: .medium, kind: "catalog-pii",
                               explanation: "a catalog write of \(items) item(s) by \(principal) held \(CatalogScrubber.describe(found)) in titles or tags; they were stored replaced by their type tags. Fix the source of the catalog",
                               persons: 0)
        Task.detached { [self] in
            let record = act(on: alert, mitigate: false)
            if let webhook { await webhook.deliver(record) }
        }
    }

    /// Stores the alert, applies its mitigation and records both in the audit log.
    @discardableResult
    func act(on alert: GuardAlert, mitigate: Bool = true) -> GuardAlertRecord {
        var action = mitigate ? mitigation[alert.severity] ?? .alert : .alert
        // Only API keys are throttled or suspended: a person token's refused requests already reach nothing.
        if action != .alert, alert.principal.hasPrefix("key:") {
            let id = String(alert.principal.dropFirst(4))
            switch action {
            case .suspend:
                do {
                    try APIKeyService(engine: engine).suspend(id: id, reason: "\(alert.severity.rawValue) \(alert.kind) alert: \(alert.explanation)", at: alert.at)
                    keys.invalidate()
                } catch {
                    engine.logger.error("the Guard could not suspend a key", metadata: ["key": .string(id), "error": .string("\(error)")])
                    action = .alert
                }
            case .throttle:
                limiter.throttle(id, rate: Self.throttledRate)
            case .alert:
                break
            }
        } else {
            action = .alert
        }
        var record = GuardAlertRecord(at: alert.at, principal: alert.principal, severity: alert.severity.rawValue, kind: alert.kind,
                                      explanation: alert.explanation, persons: alert.persons, action: action.rawValue)
        do {
            try engine.store.write { w in
                let id = try w.appendGuardAlert(record)
                record.id = id
                try w.appendAudit(AuditEntry(at: alert.at, actor: "guard", action: "guard.alert",
                                             detail: "id=\(id) principal=\(alert.principal) severity=\(alert.severity.rawValue) kind=\(alert.kind) action=\(action.rawValue)"))
            }
        } catch {
            engine.logger.error("the Guard could not store an alert", metadata: ["error": .string("\(error)")])
        }
        engine.logger.warning("guard alert", metadata: ["principal": .string(alert.principal), "severity": .string(alert.severity.rawValue),
                                                        "kind": .string(alert.kind), "action": .string(action.rawValue)])
        return record
    }
}
