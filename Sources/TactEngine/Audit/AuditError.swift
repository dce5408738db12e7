/// A problem with the audit log's signing key or checkpoint file, with what to do about it.
public enum AuditError: Error, CustomStringConvertible {
    case keyReadableByOthers(path: String, mode: String)
    case keyUnreadable(path: String, reason: String)
    case keyInvalid(source: String)
    case noPublicKey(path: String)
    case publicKeyInvalid
    case checkpointFileUnwritable(path: String, reason: String)
    case checkpointFileUnreadable(path: String, reason: String)

    public var description: String {
        switch self {
        case .keyReadableByOthers(let p, let mode):
            return "the audit signing key \(p) has mode \(mode) and can be read by other users; run 'chmod 600 \(p)'"
        case .keyUnreadable(let p, let reason):
            return "cannot read the audit signing key \(p): \(reason)"
        case .keyInvalid(let source):
            return "\(source) is not an audit signing key (64 hexadecimal digits: an Ed25519 private key); restore it from a backup"
        case .noPublicKey(let p):
            return
                "cannot check the audit checkpoints' signatures: there is no \(p) and TACT_AUDIT_KEY is not set; pass the public key you kept with --public-key"
        case .publicKeyInvalid:
            return "--public-key must be 64 hexadecimal digits (as 'tact audit key' prints it)"
        case .checkpointFileUnwritable(let p, let reason):
            return "cannot append to the audit checkpoint file \(p): \(reason); check the data directory's permissions and free space"
        case .checkpointFileUnreadable(let p, let reason):
            return "cannot read the audit checkpoint file \(p): \(reason)"
        }
    }
}
