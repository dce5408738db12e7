/// A store that cannot be opened or used, with what to do about it.
public enum StoreError: Error, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)
    case newerSchema(path: String, found: String)
    case corrupt(what: String)
    /// A database address that cannot be used, with what is wrong in it.
    case badAddress(String)
    /// The database stayed too busy to answer in time.
    case busy(String)
    /// A statement failed in the database server.
    case failed(what: String, reason: String)
    /// The storage refused a write: the disk is full, the file reached its size limit, or it is read-only.
    /// Nothing of the transaction was kept.
    case cannotWrite(reason: String)
    /// The database server cannot be reached, or did not answer in time: it is down, restarting or stuck.
    /// Whether a write that was under way when the connection broke was kept is unknown to the caller;
    /// a write that failed before it began was not kept.
    case unreachable(reason: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            return "cannot open the database \(path): \(reason)"
        case .newerSchema(let path, let found):
            return "the database \(path) was written by a newer Tact (migration '\(found)' is unknown); upgrade tact"
        case .corrupt(let what):
            return "the database holds a value Tact cannot read (\(what)); restore it from a backup"
        case .badAddress(let message):
            return "bad database address: \(message)"
        case .busy(let message):
            return message
        case .failed(let what, let reason):
            return "the database could not \(what): \(reason)"
        case .cannotWrite(let reason):
            return
                "the database cannot write (\(reason)): the disk may be full, the file at its size limit, or the storage read-only; nothing of this change was stored. Free space or fix the storage, then retry"
        case .unreachable(let reason):
            return "the database cannot be reached (\(reason)); Tact reconnects by itself once it answers again: retry in a few seconds"
        }
    }
}
