/// An API key as stored: its name, scopes and lifetime. The key itself is never stored, only its SHA-256.
public struct APIKeyRecord: Sendable, Equatable {
    /// Public identifier, e.g. "k3f9a01b2c4"; part of the key text and safe to show and log.
    public var id: String
    /// What the key is for, chosen by whoever created it.
    public var name: String
    /// Scope names, sorted.
    public var scopes: [String]
    /// What the key is for, as the Guard reads it ("app", "batch 02-05"; see `KeyRole`): the shape of
    /// access expected of it. Empty for a key made before keys had roles: none assigned.
    public var role: String
    /// Seconds since 1970.
    public var createdAt: Int64
    /// When the key was revoked (seconds since 1970); nil while it is valid.
    public var revokedAt: Int64?

    /// When the Guard suspended the key, and why; nil while it is not suspended.
    public var suspendedAt: Int64?
    public var suspensionReason: String?

    /// Whether the key has been revoked and no longer authenticates anything.
    public var isRevoked: Bool { revokedAt != nil }
    /// Whether the key is suspended: it authenticates nothing until reinstated.
    public var isSuspended: Bool { suspendedAt != nil }

    public init(
        id: String, name: String, scopes: [String], role: String = "", createdAt: Int64, revokedAt: Int64? = nil,
        suspendedAt: Int64? = nil, suspensionReason: String? = nil
    ) {
        self.id = id
        self.name = name
        self.scopes = scopes.sorted()
        self.role = role
        self.createdAt = createdAt
        self.revokedAt = revokedAt
        self.suspendedAt = suspendedAt
        self.suspensionReason = suspensionReason
    }
}
