/// A problem with the data directory or its configuration, with what to do about it.
public enum EngineError: Error, CustomStringConvertible {
    case notInitialized(path: String)
    case secretMissing(path: String)
    case secretReadableByOthers(path: String, mode: String)
    case secretMismatch(path: String)
    /// The database was set up by a data directory with another secret or consent mode.
    case databaseMismatch(database: String, setting: String)
    case secretUnreadable(path: String, reason: String)
    case configInvalid(path: String, field: String, message: String)
    case unknownSubject
    case unknownItem(String)
    case invalidArgument(String)
    /// A campaign's targeting reaches fewer people than the k-anonymity threshold allows.
    case audienceTooSmall(topics: [String], minimum: Int)
    /// Another writer made keys for the same new people at the same moment; retrying succeeds.
    case concurrentKeyCreation
    /// The person's processing is restricted: their data is kept but frozen.
    case restricted
    /// A differentially private release would take its dataset past the configured budget.
    case privacyBudgetExceeded(dataset: String, asked: (Double, Double), spent: (Double, Double), budget: (Double, Double))
    /// The policy in force says the same version as one recorded before, with other text.
    case policyVersionReused(version: String, path: String)
    /// A policy version the history does not hold.
    case unknownPolicyVersion(version: String, known: [String])

    public var description: String {
        switch self {
        case .notInitialized(let p):
            return "no Tact data directory at \(p); create one with 'tact init --data \(p)'"
        case .secretMissing(let p):
            return
                "the data directory has a database but its secret (\(p)) is missing; restore the file or set TACT_SECRET. A new secret would make every stored pseudonym unreachable"
        case .secretReadableByOthers(let p, let mode):
            return "the secret \(p) has mode \(mode) and can be read by other users; run 'chmod 600 \(p)'"
        case .secretMismatch(let p):
            return "the secret in use is not the one this data directory was created with (\(p)); check TACT_SECRET or the secret file"
        case .databaseMismatch(let database, let setting):
            return
                "the database \(database) was set up with another \(setting) than this data directory's; every server and command sharing a database needs the same TACT_SECRET and the same config.json"
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
        case .privacyBudgetExceeded(let dataset, let asked, let spent, let budget):
            return
                "refused: releasing ε = \(asked.0), δ = \(asked.1) from '\(dataset)' would exceed its privacy budget (ε = \(budget.0), δ = \(budget.1); spent ε = \(spent.0), δ = \(spent.1)); nothing was released. Raise \"privacyBudget\" in config.json only if your policy allows it"
        case .restricted:
            return "processing of this person's data is restricted: it is kept but frozen; lift the restriction first ('tact subject restrict ID --lift')"
        case .audienceTooSmall(let topics, let minimum):
            return
                "the audience of \(topics.joined(separator: " + ")) reaches fewer than \(minimum) people, the smallest audience an ad may target (k-anonymity); target fewer or broader topics, or the context instead"
        case .invalidArgument(let m):
            return m
        case .policyVersionReused(let v, let p):
            return
                "\(p) changed, but its version is still '\(v)', which was recorded with other text; give the changed policy a new \"version\" (e.g. '\(Self.nextVersion(after: v))') so consent records name the text people saw, or restore the text of '\(v)'"
        case .unknownPolicyVersion(let v, let known):
            let list = known.isEmpty ? "none is recorded yet" : "recorded: " + known.joined(separator: ", ")
            return "no policy version '\(v)' is recorded (\(list)); see 'tact policy history'"
        }
    }

    /// A version to suggest after `version`: its last dot-separated number plus one ("2026-11-29.1" → "2026-11-29.2"), else ".1" appended.
    static func nextVersion(after version: String) -> String {
        var parts = version.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        if let last = parts.last, let n = Int(last), n >= 0 {
            parts[parts.count - 1] = String(n + 1)
            return parts.joined(separator: ".")
        }
        return version + ".1"
    }
}
