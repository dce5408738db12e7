/// One version of the privacy policy as the store recorded it, the first time an engine opened with it.
public struct PolicyVersionRecord: Sendable, Equatable {
    /// The policy's `version`.
    public var version: String
    /// The policy's JSON, as it was in force.
    public var json: String
    /// When it was first seen (seconds since 1970).
    public var firstSeenAt: Int64

    public init(version: String, json: String, firstSeenAt: Int64) {
        self.version = version
        self.json = json
        self.firstSeenAt = firstSeenAt
    }
}
