import Foundation
import TactCore

/// The privacy ledger: every differentially private release, append-only.
/// Read inside any `Store.read` or `Store.write`; `StoreReader` composes every concern's reader.
public protocol PrivacyLedgerReader {
    /// The differentially private releases recorded against a dataset (all datasets when nil), oldest first.
    func privacyReleases(dataset: String?) throws -> [PrivacyRelease]
}

/// Changes to the privacy ledger, inside a `Store.write`; `StoreWriter` composes every concern's writer.
public protocol PrivacyLedgerWriter {
    /// Records a differentially private release; the ledger is append-only.
    func appendPrivacyRelease(_ release: PrivacyRelease) throws
}
