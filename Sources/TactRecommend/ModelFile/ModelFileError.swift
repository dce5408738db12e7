/// Why a model file could not be read or written. Each description says what is wrong and what to do.
public enum ModelFileError: Error, CustomStringConvertible, Equatable {
    /// There is no file at the path.
    case notFound(path: String)
    /// The file exists but could not be read (permissions, a directory, an I/O error).
    case unreadable(path: String, reason: String)
    /// The file (or its temporary sibling) could not be written or renamed into place.
    case unwritable(path: String, reason: String)
    /// The file does not start with the magic bytes "TACTMODL".
    case notATactModel
    /// The file's format version is not one this tact reads (usually: written by a newer tact).
    case unsupportedVersion(found: UInt32, supported: UInt32)
    /// The file holds a kind of model this tact does not know (written by a newer tact).
    case unsupportedKind(UInt32)
    /// The file is shorter than its own lengths say: expected at least `expected` bytes, found `found`.
    case truncated(expected: UInt64, found: Int)
    /// The SHA-256 at the end of the file does not match the bytes before it.
    case checksumMismatch
    /// The file is intact but its parts disagree (array lengths, row counts, ids, algorithm).
    case inconsistentHeader(String)
    /// The file holds another kind of model than the one asked for.
    case wrongKind(expected: String, found: String)

    public var description: String {
        switch self {
        case .notFound(let path):
            return "no model file at \(path): train one with `tact train`"
        case .unreadable(let path, let reason):
            return "cannot read the model file \(path): \(reason)"
        case .unwritable(let path, let reason):
            return "cannot write the model file \(path): \(reason); check the directory exists and is writable"
        case .notATactModel:
            return "not a Tact model file (it does not start with \"TACTMODL\"): check the path, or retrain with `tact train`"
        case .unsupportedVersion(let found, let supported) where found > supported:
            return "the model file has format version \(found) but this tact reads only version \(supported): "
                + "upgrade tact, or retrain with `tact train`"
        case .unsupportedVersion(let found, _):
            return "the model file has format version \(found), which no tact ever wrote: the file is damaged; retrain with `tact train`"
        case .unsupportedKind(let kind):
            return "the model file holds a model of kind \(kind), which this tact does not know: upgrade tact, or retrain with `tact train`"
        case .truncated(let expected, let found):
            return "the model file is cut short (expected at least \(expected) bytes, found \(found)): "
                + "it was damaged or not completely copied; retrain with `tact train`"
        case .checksumMismatch:
            return "the model file is damaged (its SHA-256 checksum does not match its contents): retrain with `tact train`"
        case .inconsistentHeader(let what):
            return "the model file is inconsistent (\(what)): retrain with `tact train`"
        case .wrongKind(let expected, let found):
            return "the model file holds a \(found) model, not \(expected): train one with `tact train --algorithm \(expected)`"
        }
    }
}
