import Foundation
import TactCore
import TactStore

/// A retention run that would have deleted more than one run may delete unconfirmed (`RetentionJob.maximumShare`
/// of all events): it deleted nothing, and is recorded as refused. The message says what it would have deleted
/// and what to do.
public struct RetentionRefused: Error, CustomStringConvertible, Sendable {
    /// The refused run, as recorded.
    public var run: RetentionRun
    /// Events it would have deleted, and all events.
    public var deleting: Int
    public var total: Int
    public var maximumShare: Double

    public var description: String {
        let day = DateFormatter()
        day.locale = Locale(identifier: "en_US_POSIX")
        day.timeZone = TimeZone(identifier: "UTC")
        day.dateFormat = "yyyy-MM-dd"
        let cutoff = run.categories.first?.cutoff.map { day.string(from: Date(timeIntervalSince1970: TimeInterval($0))) } ?? "?"
        let days = run.categories.first?.retentionDays.map(PolicyDiff.retention) ?? "its period"
        return
            "the retention run was refused: it would delete \(deleting) of the \(total) events stored (\(RetentionJob.percent(Double(deleting) / Double(max(total, 1))))%), more than the \(RetentionJob.percent(maximumShare))% one run may delete unconfirmed, and nothing was deleted. They occurred before \(cutoff), more than \(days) ago (the policy's \"interactions\" period). If that is right, run 'tact retention run --confirm' (or start 'tact serve' with --retention-max-share 1); if not, lengthen the period ('tact policy') or import the events with their real times"
    }
}
