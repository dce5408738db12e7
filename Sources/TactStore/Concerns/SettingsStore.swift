import Foundation
import TactCore

/// Settings every process must agree on, and the privacy policy's recorded versions.
/// Read inside any `Store.read` or `Store.write`; `StoreReader` composes every concern's reader.
public protocol SettingsReader {
    /// Every recorded version of the privacy policy, oldest first.
    func policyVersions() throws -> [PolicyVersionRecord]
    /// A setting every process using the database must agree on (such as which pseudonym secret made
    /// its pseudonyms); nil when none was recorded.
    func setting(_ name: String) throws -> String?
}

/// Changes to settings every process must agree on, and the privacy policy's recorded versions, inside a `Store.write`; `StoreWriter` composes every concern's writer.
public protocol SettingsWriter {
    /// Records a policy version seen for the first time; the version must be new (recorded versions never change).
    func insertPolicyVersion(_ record: PolicyVersionRecord) throws
    /// Records a setting unless one is recorded under the name; returns the value recorded now (the
    /// one given, or the one found). Settings never change once recorded.
    func recordSettingIfAbsent(_ name: String, value: String) throws -> String
}
