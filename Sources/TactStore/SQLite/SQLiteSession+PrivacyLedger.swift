import Crypto
import Foundation
import GRDB
import GRDBSQLite
import TactCore

/// SQLiteSession's part of `PrivacyLedgerReader` and `PrivacyLedgerWriter`: the privacy ledger: every differentially private release, append-only.
extension SQLiteSession {
    func privacyReleases(dataset: String?) throws -> [PrivacyRelease] {
        let sql = "SELECT dataset, release, mechanism, epsilon, delta, recorded_at FROM privacy_ledger"
        let rows =
            try dataset.map { try Row.fetchAll(db, sql: sql + " WHERE dataset = ? ORDER BY id", arguments: [$0]) }
            ?? Row.fetchAll(db, sql: sql + " ORDER BY id")
        return rows.map { PrivacyRelease(dataset: $0[0], release: $0[1], mechanism: $0[2], epsilon: $0[3], delta: $0[4], recordedAt: $0[5]) }
    }

    func appendPrivacyRelease(_ r: PrivacyRelease) throws {
        try db.execute(
            sql: "INSERT INTO privacy_ledger (dataset, release, mechanism, epsilon, delta, recorded_at) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [r.dataset, r.release, r.mechanism, r.epsilon, r.delta, r.recordedAt])
    }
}
