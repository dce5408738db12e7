import Foundation
import TactCore

/// The retention job: deleting old events, emptying old free text, and the record of its runs.
/// Read inside any `Store.read` or `Store.write`; `StoreReader` composes every concern's reader.
public protocol RetentionReader {
    /// The newest runs of the retention job, newest first.
    func retentionRuns(limit: Int) throws -> [RetentionRun]
}

/// Changes to the retention job, inside a `Store.write`; `StoreWriter` composes every concern's writer.
public protocol RetentionWriter {
    /// Deletes every interaction that occurred before `cutoff` (seconds since 1970); returns how many.
    func deleteInteractions(before cutoff: Int64) throws -> Int
    /// Empties the free-text context of every interaction that occurred before `cutoff`, keeping the
    /// events themselves; returns how many events had context to empty.
    func clearContexts(before cutoff: Int64) throws -> Int
    /// Records a run of the retention job and returns its number.
    func appendRetentionRun(_ run: RetentionRun) throws -> Int64
}
