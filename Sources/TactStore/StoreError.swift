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
        }
    }
}
