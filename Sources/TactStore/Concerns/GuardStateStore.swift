import Foundation
import TactCore

/// What the Guard keeps: alerts, accesses shared between servers, long-horizon state, leases and rate usage.
/// Read inside any `Store.read` or `Store.write`; `StoreReader` composes every concern's reader.
public protocol GuardStateReader {
    /// The newest Guard alerts, newest first.
    func guardAlerts(limit: Int) throws -> [GuardAlertRecord]
    /// Guard events shared by every server with ids above `afterID`, in id order, at most `limit`.
    func guardEvents(after afterID: Int64, limit: Int) throws -> [GuardEventRecord]
    /// The Guard's stored long-horizon state per principal (`PrincipalHistory` bytes).
    func guardStates() throws -> [String: [UInt8]]
    /// Requests per API key that servers other than `server` recorded at or after second `since`.
    func rateUsage(since: Int64, excluding server: String) throws -> [String: Int]
}

/// Changes to what the Guard keeps, inside a `Store.write`; `StoreWriter` composes every concern's writer.
public protocol GuardStateWriter {
    /// Records an alert; returns its id.
    func appendGuardAlert(_ alert: GuardAlertRecord) throws -> Int64
    /// Shares accesses a server's Guard saw (their ids are set by the store).
    func appendGuardEvents(_ events: [GuardEventRecord]) throws
    /// Drops shared Guard events older than `cutoff` (seconds since 1970); returns how many.
    func deleteGuardEvents(before cutoff: Int64) throws -> Int
    /// Stores the Guard's long-horizon state of these principals, replacing what was stored.
    func saveGuardStates(_ states: [String: [UInt8]], at: Int64) throws
    /// Takes or renews the lease `name` for `holder` until `now + seconds`, unless another holder's
    /// lease runs past `now`; returns the lease's cursor (0 for a new lease) when `holder` holds it.
    func acquireGuardLease(_ name: String, holder: String, now: Int64, seconds: Int64) throws -> Int64?
    /// Records how far the lease's holder got (the last Guard event it processed); false when it no
    /// longer holds the lease.
    func advanceGuardLease(_ name: String, holder: String, cursor: Int64) throws -> Bool
    /// Adds a server's requests per API key in one second (for rate limits across servers).
    func addRateUsage(server: String, second: Int64, counts: [String: Int]) throws
    /// Drops rate usage older than second `cutoff`.
    func deleteRateUsage(before cutoff: Int64) throws
}
