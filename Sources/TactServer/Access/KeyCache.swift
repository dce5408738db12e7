import Foundation
import NIOConcurrencyHelpers
import TactEngine
import TactStore

/// Remembers recent API key lookups for a short time, so a request costs no store read for its key.
/// A key revoked in the store (by `tact keys revoke` or the API) stops working within `lifetime` seconds.
final class KeyCache: Sendable {
    private struct Entry {
        var record: APIKeyRecord?
        var fetched: Double
    }

    private let service: APIKeyService
    private let lifetime: Double
    private let entries = NIOLockedValueBox<[String: Entry]>([:])
    /// Keys the Guard has decided to suspend, refused until the given uptime: while the suspension is being
    /// stored (infinity), and then for one cache lifetime, until any lookup made before the store changed expired.
    private let held = NIOLockedValueBox<[String: Double]>([:])

    init(service: APIKeyService, lifetime: Double) {
        self.service = service
        self.lifetime = lifetime
    }

    /// The active key for `presented`, or nil if it is unknown or revoked.
    func authenticate(_ presented: String) throws -> APIKeyRecord? {
        if let hit = cached(presented) { return hit }
        let now = ProcessInfo.processInfo.systemUptime
        let record = try service.authenticate(presented)
        entries.withLockedValue { entries in
            if entries.count > 10_000 { entries.removeAll() }
            entries[presented] = Entry(record: record, fetched: now)
        }
        return unlessHeld(record)
    }

    /// What `authenticate` would answer without asking the store: the key (or nil for none), when a fresh
    /// lookup is remembered; nil when the store must be asked.
    func cached(_ presented: String) -> APIKeyRecord?? {
        let now = ProcessInfo.processInfo.systemUptime
        guard let hit = entries.withLockedValue({ $0[presented] }), now - hit.fetched < lifetime else { return nil }
        return .some(unlessHeld(hit.record))
    }

    private func unlessHeld(_ record: APIKeyRecord?) -> APIKeyRecord? {
        guard let record, !isHeld(record.id) else { return nil }
        return record
    }

    private func isHeld(_ id: String) -> Bool {
        let now = ProcessInfo.processInfo.systemUptime
        return held.withLockedValue { held in
            guard let until = held[id] else { return false }
            if now < until { return true }
            held[id] = nil
            return false
        }
    }

    /// Refuses the key with `id` from now on, until `release`: the Guard's suspension, before the store has it.
    func hold(_ id: String) { held.withLockedValue { $0[id] = .infinity } }

    /// Ends a `hold` one cache lifetime from now; the store decides after that (the suspension is stored by
    /// then, or could not be stored).
    func release(_ id: String) {
        let until = ProcessInfo.processInfo.systemUptime + lifetime
        held.withLockedValue { $0[id] = until }
    }

    /// Whether the key with `id` is still active (for person tokens, which name their issuing key).
    func isActive(keyID: String) throws -> Bool {
        let now = ProcessInfo.processInfo.systemUptime
        let cacheKey = "id:" + keyID
        if isHeld(keyID) { return false }
        if let hit = entries.withLockedValue({ $0[cacheKey] }), now - hit.fetched < lifetime { return hit.record != nil }
        let record = try service.list().first { $0.id == keyID && !$0.isRevoked && !$0.isSuspended }
        entries.withLockedValue { $0[cacheKey] = Entry(record: record, fetched: now) }
        return record != nil
    }

    /// Forgets everything, so a change made through this server takes effect at once.
    func invalidate() { entries.withLockedValue { $0.removeAll() } }
}
