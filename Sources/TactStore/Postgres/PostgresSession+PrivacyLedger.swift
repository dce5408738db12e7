import Crypto
import Foundation
import PostgresNIO
import TactCore

/// PostgresSession's part of `PrivacyLedgerReader` and `PrivacyLedgerWriter`: the privacy ledger: every differentially private release, append-only.
extension PostgresSession {
    func privacyReleases(dataset: String?) throws -> [PrivacyRelease] {
        let sql = "SELECT dataset, release, mechanism, epsilon, delta, recorded_at FROM privacy_ledger"
        let found = try dataset.map { try rows(sql + " WHERE dataset = $1 ORDER BY id", [.text($0)]) } ?? rows(sql + " ORDER BY id")
        return try found.map {
            PrivacyRelease(
                dataset: try $0.text(0), release: try $0.text(1), mechanism: try $0.text(2), epsilon: try $0.double(3),
                delta: try $0.double(4), recordedAt: try $0.int(5))
        }
    }

    func appendPrivacyRelease(_ r: PrivacyRelease) throws {
        try execute(
            "INSERT INTO privacy_ledger (dataset, release, mechanism, epsilon, delta, recorded_at) VALUES ($1, $2, $3, $4, $5, $6)",
            [.text(r.dataset), .text(r.release), .text(r.mechanism), .double(r.epsilon), .double(r.delta), .int(r.recordedAt)])
    }
}
