/// A problem with the data directory or its configuration, with what to do about it.
public enum EngineError: Error, CustomStringConvertible {
    case notInitialized(path: String)
    case secretMissing(path: String)
    case secretReadableByOthers(path: String, mode: String)
    case secretMismatch(path: String)
    case secretUnreadable(path: String, reason: String)
    case configInvalid(path: String, field: String, message: String)
    case unknownSubject
    case unknownItem(String)
    case invalidArgument(String)
    /// Another writer made keys for the same new people at the same moment; retrying succeeds.
    case concurrentKeyCreation
    /// The person's processing is restricted: their data is kept but frozen.
    case restricted

    public var description: String {
        switch self {
        case .notInitialized(let p):
            return "no Tact data directory at \(p); create one with 'tact init --data \(p)'"
        case .secretMissing(let p):
            return "the data directory has a database but its secret (\(p)) is missing; restore the file or set TACT_SECRET. A new secret would make every stored pseudonym unreachable"
        case .secretReadableByOthers(let p, let mode):
            return "the secret \(p) has mode \(mode) and can be read by other users; run 'chmod 600 \(p)'"
        case .secretMismatch(let p):
            return "the secret in use is not the one this data directory was created with (\(p)); check TACT_SECRET or the secret file"
        case .secretUnreadable(let p, let reason):
            return "cannot read the secret \(p): \(reason)"
        case .configInvalid(let p, let field, let message):
            return "\(p): field '\(field)': \(message)"
        case .unknownSubject:
            return "no data is stored for this user"
        case .unknownItem(let id):
            return "no item '\(id)' in the catalog"
        case .concurrentKeyCreation:
            return "another import created keys for the same new people at the same moment; nothing was written, run it again"
        case .restricted:
            return "processing of this person's data is restricted: it is kept but frozen; lift the restriction first ('tact subject restrict ID --lift')"
        case .invalidArgument(let m):
            return m
        }
    }
}
