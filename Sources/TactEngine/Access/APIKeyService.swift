import Foundation
import TactCore
import TactGuard
import TactPrivacy
import TactStore

/// Creates, lists, revokes and checks API keys. A key reads `tact_<id>_<secret>`; the store keeps
/// only the SHA-256 of that text, so a key is shown once, when it is created, and never again.
public struct APIKeyService: Sendable {
    public let engine: Engine

    /// Longer names are refused.
    public static let maximumNameLength = 64
    /// Presented keys longer than this are refused without a lookup.
    public static let maximumKeyLength = 200
    /// Every key starts with this.
    public static let keyPrefix = "tact_"

    public init(engine: Engine) { self.engine = engine }

    /// Makes a new key with these scopes, for this role (what the Guard expects of it; by default the one
    /// its scopes suggest, `defaultRole(for:)`); returns its record and the key text, which is not stored.
    public func create(
        name: String, scopes: Set<Scope>, role: RoleAssignment? = nil, actor: String = "cli"
    ) throws -> (record: APIKeyRecord, key: String) {
        let role = role ?? RoleAssignment(Self.defaultRole(for: scopes))
        try Self.validate(name: name)
        guard !scopes.isEmpty else {
            throw EngineError.invalidArgument("an API key needs at least one scope; use one or more of: \(Scope.names)")
        }
        let now = Int64(Date().timeIntervalSince1970)
        let scopeNames = scopes.sorted().map(\.rawValue)
        var generator = SystemRandomNumberGenerator()
        return try engine.store.write { w in
            // 40 random bits make a repeated id unlikely; check anyway rather than fail on the constraint.
            var id: String
            repeat {
                id = "k" + Hex.encode((0..<5).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
            } while try w.apiKeys().contains(where: { $0.id == id })
            let secret = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
            let key = Self.keyPrefix + id + "_" + Base64URL.encode(secret)
            let record = APIKeyRecord(id: id, name: name, scopes: scopeNames, role: role.description, createdAt: now)
            try w.insertAPIKey(record, secretHash: SecretDigest.sha256(key))
            try w.appendAudit(
                AuditEntry(
                    at: now, actor: actor, action: "key.create",
                    detail: "id=\(id) scopes=\(scopeNames.joined(separator: ",")) \(Self.roleDetail(role))"))
            return (record, key)
        }
    }

    /// Every key, revoked ones included, oldest first.
    public func list() throws -> [APIKeyRecord] {
        try engine.store.read { try $0.apiKeys() }
    }

    /// Revokes a key from now on and returns its record; revoking it again changes nothing.
    @discardableResult
    public func revoke(id: String, actor: String = "cli") throws -> APIKeyRecord {
        let now = Int64(Date().timeIntervalSince1970)
        return try engine.store.write { w in
            guard let before = try w.apiKeys().first(where: { $0.id == id }) else {
                throw EngineError.invalidArgument("no API key '\(id)'; list them with 'tact keys list'")
            }
            if before.isRevoked { return before }
            _ = try w.revokeAPIKey(id: id, at: now)
            try w.appendAudit(AuditEntry(at: now, actor: actor, action: "key.revoke", detail: "id=\(id)"))
            var after = before
            after.revokedAt = now
            return after
        }
    }

    /// The record of the key presented, or nil if it is unknown, revoked, suspended or not a key at all.
    public func authenticate(_ presented: String) throws -> APIKeyRecord? {
        guard presented.utf8.count <= Self.maximumKeyLength, presented.hasPrefix(Self.keyPrefix) else { return nil }
        let hash = SecretDigest.sha256(presented)
        guard let record = try engine.store.read({ try $0.apiKey(secretHash: hash) }), !record.isRevoked, !record.isSuspended else { return nil }
        return record
    }

    /// Suspends a key (the Guard's mitigation): requests presenting it are refused until it is
    /// reinstated. Recorded in the audit log. Suspending it again changes nothing.
    @discardableResult
    public func suspend(id: String, reason: String, actor: String = "guard", at: Int64 = Int64(Date().timeIntervalSince1970)) throws -> APIKeyRecord {
        try engine.store.write { w in
            guard let before = try w.apiKeys().first(where: { $0.id == id }) else {
                throw EngineError.invalidArgument("no API key '\(id)'; list them with 'tact keys list'")
            }
            if before.isSuspended { return before }
            _ = try w.suspendAPIKey(id: id, at: at, reason: reason)
            try w.appendAudit(AuditEntry(at: at, actor: actor, action: "key.suspend", detail: "id=\(id) reason=\(reason)"))
            var after = before
            after.suspendedAt = at
            after.suspensionReason = reason
            return after
        }
    }

    /// Lifts a suspension (`tact keys reinstate`). Recorded in the audit log.
    @discardableResult
    public func reinstate(id: String, actor: String = "cli") throws -> APIKeyRecord {
        let now = Int64(Date().timeIntervalSince1970)
        return try engine.store.write { w in
            guard let before = try w.apiKeys().first(where: { $0.id == id }) else {
                throw EngineError.invalidArgument("no API key '\(id)'; list them with 'tact keys list'")
            }
            guard before.isSuspended else { throw EngineError.invalidArgument("API key '\(id)' is not suspended") }
            _ = try w.reinstateAPIKey(id: id)
            try w.appendAudit(AuditEntry(at: now, actor: actor, action: "key.reinstate", detail: "id=\(id)"))
            var after = before
            after.suspendedAt = nil
            after.suspensionReason = nil
            return after
        }
    }

    /// Gives a key another role (`tact keys role`): the Guard holds it to that role's shape from its next
    /// request on. Recorded in the audit log.
    @discardableResult
    public func setRole(id: String, role: RoleAssignment, actor: String = "cli") throws -> APIKeyRecord {
        let now = Int64(Date().timeIntervalSince1970)
        return try engine.store.write { w in
            guard var record = try w.apiKeys().first(where: { $0.id == id }) else {
                throw EngineError.invalidArgument("no API key '\(id)'; list them with 'tact keys list'")
            }
            _ = try w.setAPIKeyRole(id: id, role: role.description)
            try w.appendAudit(AuditEntry(at: now, actor: actor, action: "key.role", detail: "id=\(id) \(Self.roleDetail(role)) was=\(record.role)"))
            record.role = role.description
            return record
        }
    }

    /// "role=batch hours=02-05", as the audit log records a role.
    static func roleDetail(_ role: RoleAssignment) -> String {
        "role=\(role.role.rawValue)" + (role.hours.map { " hours=\($0)" } ?? "")
    }

    /// A key's role as the Guard reads it; nil when it has none (made before keys had roles, or a role this
    /// version does not know): the Guard then holds it to its own baselines only.
    public static func role(of record: APIKeyRecord) -> RoleAssignment? { RoleAssignment(text: record.role) }

    /// The role a key gets when its creator names none, from what its scopes are for: `admin` an
    /// administrator, `subjects` (rights requests, person tokens) a support desk, `ingest` or `recommend` an
    /// app, anything else (catalog, audit, ads: no one person's data) an analyst.
    public static func defaultRole(for scopes: Set<Scope>) -> KeyRole {
        if scopes.contains(.admin) { return .admin }
        if scopes.contains(.subjects) { return .support }
        if scopes.contains(.ingest) || scopes.contains(.recommend) { return .app }
        return .analyst
    }

    /// Reads a role and its hours as given on the command line or the API: "batch" and "02-05"; a nil role
    /// with hours is refused (hours belong to a role).
    public static func parseRole(_ name: String?, hours: String?, scopes: Set<Scope>) throws -> RoleAssignment {
        guard let name else {
            guard hours == nil else { throw EngineError.invalidArgument("hours belong to a role: give the role too, e.g. batch with hours 02-05") }
            return RoleAssignment(defaultRole(for: scopes))
        }
        return try parseRole(name, hours: hours)
    }

    /// Reads a role and its hours as given on the command line or the API: "batch" and "02-05".
    public static func parseRole(_ name: String, hours: String?) throws -> RoleAssignment {
        guard let role = KeyRole(rawValue: name) else {
            throw EngineError.invalidArgument("unknown role '\(name.prefix(40))'; use one of: \(KeyRole.names)")
        }
        guard let hours else { return RoleAssignment(role) }
        guard let parsed = ActiveHours(text: hours) else {
            throw EngineError.invalidArgument("hours must read FROM-TO in UTC hours, e.g. 02-05 (or 22-04 across midnight), not '\(hours.prefix(40))'")
        }
        return RoleAssignment(role, hours: parsed)
    }

    /// The scopes a key holds; names this version does not know are left out.
    public static func scopes(of record: APIKeyRecord) -> Set<Scope> {
        Set(record.scopes.compactMap(Scope.init(rawValue:)))
    }

    private static func validate(name: String) throws {
        let count = name.count
        guard count >= 1, count <= maximumNameLength else {
            throw EngineError.invalidArgument(
                "an API key name must be 1 to \(maximumNameLength) characters (it has \(count)); name the client or purpose, e.g. 'web-frontend'")
        }
        // Control and format characters (bidi overrides among them) and line breaks could disguise a name in a listing.
        let unprintable: Set<Unicode.GeneralCategory> = [.control, .format, .lineSeparator, .paragraphSeparator, .surrogate]
        guard !name.unicodeScalars.contains(where: { unprintable.contains($0.properties.generalCategory) }) else {
            throw EngineError.invalidArgument("an API key name must be printable text, without control characters or line breaks")
        }
        guard !name.trimmingWhitespace().isEmpty else {
            throw EngineError.invalidArgument("an API key name must not be blank; name the client or purpose, e.g. 'web-frontend'")
        }
    }
}
