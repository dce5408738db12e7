/// Something verification found wrong with the audit log or its checkpoints.
public enum AuditProblem: Sendable, Equatable, CustomStringConvertible {
    /// The entry's stored values no longer match its hash.
    case altered(entry: Int64)
    /// The entry is gone: the chain goes on at `resumesAt`.
    case removed(entry: Int64, resumesAt: Int64)
    /// The entry holds what belongs elsewhere: its values (or hash) are now at entry `with`.
    case reordered(entry: Int64, with: Int64)
    /// The log ends before entry `entry`, but checkpoint `checkpoint` covered it up to `checkpointEntry`.
    case truncated(entry: Int64, checkpoint: Int64, checkpointEntry: Int64)
    /// A checkpoint signed another hash for entry `through`: something from `from` to `through` changed and the
    /// hashes after it were recomputed.
    case rewritten(from: Int64, through: Int64, checkpoint: Int64)
    /// A checkpoint whose signature is not the trusted key's: forged or altered.
    case badSignature(checkpoint: Int64, place: String)
    /// A checkpoint missing from one place (`place`) that the other shows existed.
    case checkpointMissing(checkpoint: Int64, place: String)
    /// The database and the checkpoint file hold different checkpoints under one number.
    case checkpointsDisagree(checkpoint: Int64)
    /// A line of the checkpoint file that is not a checkpoint.
    case unreadableCheckpointLine(line: Int)

    /// The first entry the problem concerns, when it concerns entries.
    public var entry: Int64? {
        switch self {
        case .altered(let e), .removed(let e, _), .reordered(let e, _), .truncated(let e, _, _): e
        case .rewritten(let from, _, _): from
        default: nil
        }
    }

    /// A short name for the kind of problem.
    public var kind: String {
        switch self {
        case .altered: "altered"
        case .removed: "removed"
        case .reordered: "reordered"
        case .truncated: "truncated after checkpoint"
        case .rewritten: "rewritten"
        case .badSignature: "bad signature"
        case .checkpointMissing: "checkpoint missing"
        case .checkpointsDisagree: "checkpoints disagree"
        case .unreadableCheckpointLine: "unreadable checkpoint"
        }
    }

    public var description: String {
        switch self {
        case .altered(let e):
            return "entry \(e) was altered: what it holds no longer matches its hash"
        case .removed(let e, let next):
            return e == 1
                ? "entry 1 was removed: the log starts at entry \(next)"
                : "entry \(e) was removed: the chain jumps from entry \(e - 1) to entry \(next)"
        case .reordered(let e, let other):
            return "entry \(e) was reordered: what it held is now at entry \(other)"
        case .truncated(let e, let k, let covered):
            return
                "truncated after checkpoint: entries \(e) to \(covered) were removed (checkpoint #\(k) covered the log up to entry \(covered); it now ends at entry \(e - 1))"
        case .rewritten(let from, let through, let k):
            return
                "entries \(from) to \(through) were altered, removed or reordered and the hashes recomputed to hide it: checkpoint #\(k) signed another hash for entry \(through)"
        case .badSignature(let k, let place):
            return "checkpoint #\(k) in the \(place) has a bad signature: the trusted audit key did not sign it (forged or altered)"
        case .checkpointMissing(let k, let place):
            return "checkpoint #\(k) is missing from the \(place)"
        case .checkpointsDisagree(let k):
            return "checkpoint #\(k) differs between the database and the checkpoint file"
        case .unreadableCheckpointLine(let line):
            return "line \(line) of the checkpoint file is not a checkpoint"
        }
    }
}

/// What `AuditLog.verify` found: the entries walked, the newest checkpoint, and the problems, first bad entry first.
public struct AuditVerification: Sendable {
    /// Entries whose hashes checked out, from the first on.
    public var entries: Int64
    /// Checkpoints (database and file) whose signatures and hashes checked out.
    public var checkpointsChecked: Int
    /// The newest checkpoint that checked out.
    public var lastCheckpoint: AuditCheckpointSummary?
    /// Entry problems in entry order, then checkpoint problems. Empty when the log is intact.
    public var problems: [AuditProblem]

    public var isIntact: Bool { problems.isEmpty }
    /// The first entry found bad, if any.
    public var firstBadEntry: Int64? { problems.compactMap(\.entry).min() }

    /// One line, e.g. "1,204 entries, chain intact, last checkpoint #12 at entry 1,200".
    public var summary: String {
        guard isIntact else {
            let first = problems[0]
            return first.entry.map { "first bad entry: \($0) (\(first.kind)): \(first)" } ?? "\(first.kind): \(first)"
        }
        let checkpoint =
            lastCheckpoint.map { "last checkpoint #\($0.number) at entry \($0.entryID)" }
            ?? "no checkpoint yet (write one with 'tact audit checkpoint')"
        return "\(entries) \(entries == 1 ? "entry" : "entries"), chain intact, \(checkpoint)"
    }
}

/// The newest checkpoint, as verification reports it.
public struct AuditCheckpointSummary: Sendable, Equatable {
    public var number: Int64
    public var entryID: Int64
    public var at: Int64
}
