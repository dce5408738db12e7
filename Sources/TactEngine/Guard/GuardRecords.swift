import Foundation
import TactCore
import TactStore

/// What the Guard keeps in the store: its alerts (each audited), the long-horizon state of every principal,
/// and, when several servers share the store, the accesses each one saw, their request counts per key, and
/// the lease that lets one of them learn from everyone's accesses.
public struct GuardRecords: Sendable {
    public let engine: Engine
    /// The lease the servers sharing a store take turns holding.
    public static let leaseName = "guard"

    public init(engine: Engine) { self.engine = engine }

    /// The newest alerts, newest first.
    public func alerts(limit: Int) throws -> [GuardAlertRecord] {
        try engine.store.read { try $0.guardAlerts(limit: limit) }
    }

    /// Stores an alert with its audit entry (`guard.alert`) in one transaction; returns it with its id.
    public func record(_ alert: GuardAlertRecord) throws -> GuardAlertRecord {
        var stored = alert
        try engine.store.write { w in
            let id = try w.appendGuardAlert(alert)
            stored.id = id
            try w.appendAudit(
                AuditEntry(
                    at: alert.at, actor: "guard", action: "guard.alert",
                    detail: "id=\(id) principal=\(alert.principal) severity=\(alert.severity) kind=\(alert.kind) action=\(alert.action)"))
        }
        return stored
    }

    /// Every principal's stored long-horizon state (`PrincipalHistory` bytes).
    public func states() throws -> [String: [UInt8]] {
        try engine.store.read { try $0.guardStates() }
    }

    /// Every person with an event at or after `since`, as the Guard names persons (their pseudonym's hex), with
    /// the time of their latest event; and how many persons the store holds.
    public func recentActivity(since: Int64) throws -> (latest: [String: Int64], people: Int) {
        let activity = try engine.store.read { try $0.recentActivity(since: since) }
        return (Dictionary(uniqueKeysWithValues: activity.latest.map { ($0.key.hex, $0.value) }), activity.people)
    }

    /// How many persons the store holds.
    public func people() throws -> Int { try engine.store.read { try $0.subjectCount() } }

    /// Replaces the stored state of these principals.
    public func save(states: [String: [UInt8]], at now: Int64) throws {
        guard !states.isEmpty else { return }
        try engine.store.write { try $0.saveGuardStates(states, at: now) }
    }

    /// Shares this server's accesses and request counts, and takes or renews the lease, in one transaction;
    /// returns the lease's cursor when this server holds it, nil when another does.
    public func share(_ events: [GuardEventRecord], usage: [String: Int], server: String, now: Int64, leaseSeconds: Int64) throws -> Int64? {
        try engine.store.write { w -> Int64? in
            if !events.isEmpty { try w.appendGuardEvents(events) }
            try w.addRateUsage(server: server, second: now, counts: usage)
            return try w.acquireGuardLease(Self.leaseName, holder: server, now: now, seconds: leaseSeconds)
        }
    }

    /// Requests per key that the other servers recorded at or after second `since`.
    public func usageElsewhere(since: Int64, excluding server: String) throws -> [String: Int] {
        try engine.store.read { try $0.rateUsage(since: since, excluding: server) }
    }

    /// Shared accesses with ids above `position`, in id order, at most `limit`.
    public func sharedEvents(after position: Int64, limit: Int) throws -> [GuardEventRecord] {
        try engine.store.read { try $0.guardEvents(after: position, limit: limit) }
    }

    /// Records how far the lease holder got; false when it no longer holds the lease.
    @discardableResult
    public func advance(holder: String, to cursor: Int64) throws -> Bool {
        try engine.store.write { try $0.advanceGuardLease(Self.leaseName, holder: holder, cursor: cursor) }
    }

    /// Drops shared accesses older than `eventsBefore` and request counts older than `usageBefore` (seconds since 1970).
    public func prune(eventsBefore: Int64, usageBefore: Int64) throws {
        try engine.store.write { w in
            _ = try w.deleteGuardEvents(before: eventsBefore)
            try w.deleteRateUsage(before: usageBefore)
        }
    }
}

extension Engine {
    /// What the Guard keeps in the store.
    public var guardRecords: GuardRecords { GuardRecords(engine: self) }
}
