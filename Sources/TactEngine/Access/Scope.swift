import TactCore

/// What an API key may do. A request needs one scope; `admin` holds them all.
public enum Scope: String, CaseIterable, Sendable, Codable, Comparable {
    /// Send events (interactions) to be stored, subject to consent.
    case ingest
    /// Read recommendations and similar items.
    case recommend
    /// Create, update, delete and list catalog items.
    case catalog
    /// Act on data-subject requests: read and write a person's consent and data, and issue person tokens.
    case subjects
    /// Read the audit log.
    case audit
    /// Advertisers: manage campaigns and read their aggregate, differentially private reports.
    case ads
    /// Manage keys and models, and everything the other scopes allow.
    case admin

    /// Position in `allCases`.
    public var ordinal: Int {
        switch self {
        case .ingest: 0
        case .recommend: 1
        case .catalog: 2
        case .subjects: 3
        case .audit: 4
        case .ads: 5
        case .admin: 6
        }
    }

    /// Every scope name, comma-separated, for messages.
    public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// Parses a comma-separated list such as "ingest,recommend" (spaces and repeats allowed), in the order given.
    public static func parseList(_ text: String) throws(ScopeListError) -> [Scope] {
        var result: [Scope] = []
        for part in text.split(separator: ",") {
            let name = part.trimmingWhitespace().lowercased()
            if name.isEmpty { continue }
            guard let scope = Scope(rawValue: name) else { throw ScopeListError(name: name) }
            if !result.contains(scope) { result.append(scope) }
        }
        if result.isEmpty { throw ScopeListError(name: nil) }
        return result
    }

    public static func < (a: Scope, b: Scope) -> Bool { a.ordinal < b.ordinal }
}

extension Set where Element == Scope {
    /// Whether a key with these scopes may do what `needed` guards: it holds that scope, or `admin`.
    public func allows(_ needed: Scope) -> Bool {
        contains(.admin) || contains(needed)
    }
}

/// A scope list that names a scope Tact does not know, or none at all.
public struct ScopeListError: Error, Equatable, CustomStringConvertible {
    /// The unknown name; nil when the list was empty.
    public let name: String?

    public var description: String {
        if let name {
            return "unknown scope '\(name)'; use one or more of: \(Scope.names) (comma-separated)"
        }
        return "no scope given; use one or more of: \(Scope.names) (comma-separated)"
    }
}
