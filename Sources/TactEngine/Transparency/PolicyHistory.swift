import Foundation
import TactCore
import TactStore

/// The versions of the privacy policy an installation has run with, and what changed between them.
/// A version is recorded the first time the engine opens with it, and never changes afterwards.
public struct PolicyHistory: Sendable {
    public let store: any Store

    public init(store: any Store) { self.store = store }

    /// One recorded version.
    public struct Version: Sendable, Equatable {
        public var policy: PrivacyPolicy
        /// When this installation first ran with it (seconds since 1970).
        public var firstSeenAt: Int64
        /// What changed from the version recorded before it; nil for the first one.
        public var changes: PolicyDiff?
    }

    /// Records `policy` when its version is not recorded yet and returns true; returns false when it is
    /// recorded with the same text. Throws when the version is recorded with other text: the operator
    /// changed the policy without giving it a new version. `source` names the policy file for that message.
    @discardableResult
    public func record(_ policy: PrivacyPolicy, at now: Int64, source: String) throws -> Bool {
        func check(_ recorded: [PolicyVersionRecord]) throws -> Bool {
            guard let same = recorded.first(where: { $0.version == policy.version }) else { return false }
            guard try Self.decode(same) == policy else { throw EngineError.policyVersionReused(version: policy.version, path: source) }
            return true
        }
        if try check(store.read { try $0.policyVersions() }) { return false }
        return try store.write { w in
            // Again inside the write: another process may have recorded it in between.
            if try check(w.policyVersions()) { return false }
            try w.insertPolicyVersion(PolicyVersionRecord(version: policy.version, json: String(decoding: policy.jsonData(), as: UTF8.self), firstSeenAt: now))
            return true
        }
    }

    /// Every recorded version, newest first, each with the changes from the version recorded before it.
    public func versions() throws -> [Version] {
        let records = try store.read { try $0.policyVersions() }
        var out: [Version] = []
        var previous: PrivacyPolicy?
        for record in records {
            let policy = try Self.decode(record)
            out.append(Version(policy: policy, firstSeenAt: record.firstSeenAt, changes: previous.map { PolicyDiff(from: $0, to: policy) }))
            previous = policy
        }
        return out.reversed()
    }

    /// The recorded version named `version`.
    public func policy(version: String) throws -> PrivacyPolicy {
        let records = try store.read { try $0.policyVersions() }
        guard let record = records.first(where: { $0.version == version }) else {
            throw EngineError.unknownPolicyVersion(version: version, known: records.map(\.version))
        }
        return try Self.decode(record)
    }

    /// What changed from one recorded version to another.
    public func diff(from old: String, to new: String) throws -> PolicyDiff {
        PolicyDiff(from: try policy(version: old), to: try policy(version: new))
    }

    /// A recorded policy, as it was (not validated again: rules may have grown since it was in force).
    private static func decode(_ record: PolicyVersionRecord) throws -> PrivacyPolicy {
        do {
            return try JSONDecoder().decode(PrivacyPolicy.self, from: Data(record.json.utf8))
        } catch {
            throw StoreError.corrupt(what: "the recorded text of policy version \(record.version)")
        }
    }
}

extension Engine {
    /// The versions of the privacy policy this installation has run with.
    public var policyHistory: PolicyHistory { PolicyHistory(store: store) }
}
