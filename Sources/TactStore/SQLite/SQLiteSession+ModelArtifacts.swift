import Crypto
import Foundation
import GRDB
import GRDBSQLite
import TactCore

/// SQLiteSession's part of `ModelArtifactReader` and `ModelArtifactWriter`: saved model versions and the evaluations of trained models.
extension SQLiteSession {
    func latestModelArtifact(algorithm: String) throws -> ModelArtifactInfo? {
        try Row.fetchOne(
            db, sql: "SELECT version, created_at, sha256 FROM model_artifacts WHERE algorithm = ? ORDER BY version DESC LIMIT 1",
            arguments: [algorithm]
        ).map { row in
            let digest: Data = row[2]
            return ModelArtifactInfo(algorithm: algorithm, version: row[0], createdAt: row[1], sha256: [UInt8](digest))
        }
    }

    func modelArtifactBytes(algorithm: String, version: Int64) throws -> [UInt8]? {
        guard
            let row = try Row.fetchOne(
                db, sql: "SELECT sha256, bytes FROM model_artifacts WHERE algorithm = ? AND version = ?",
                arguments: [algorithm, version])
        else { return nil }
        let digest: Data = row[0], bytes: Data = row[1]
        guard Array(SHA256.hash(data: bytes)) == [UInt8](digest) else {
            throw StoreError.corrupt(what: "model \(algorithm) version \(version) (its bytes do not match their SHA-256)")
        }
        return [UInt8](bytes)
    }

    func modelEvaluations(limit: Int) throws -> [ModelEvaluation] {
        let rows = try Row.fetchAll(
            db,
            sql:
                "SELECT algorithm, artifact_version, recorded_at, k, ndcg, recall, baseline_ndcg, baseline_recall, people, pairs, training_seconds FROM model_evaluations ORDER BY id DESC LIMIT ?",
            arguments: [limit])
        return rows.reversed().map {
            ModelEvaluation(
                algorithm: $0[0], artifactVersion: $0[1], recordedAt: $0[2], k: $0[3], ndcg: $0[4], recall: $0[5],
                baselineNDCG: $0[6], baselineRecall: $0[7], people: $0[8], pairs: $0[9], trainingSeconds: $0[10])
        }
    }

    func appendModelEvaluation(_ e: ModelEvaluation) throws {
        try db.execute(
            sql:
                "INSERT INTO model_evaluations (algorithm, artifact_version, recorded_at, k, ndcg, recall, baseline_ndcg, baseline_recall, people, pairs, training_seconds) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            arguments: [
                e.algorithm, e.artifactVersion, e.recordedAt, e.k, e.ndcg, e.recall, e.baselineNDCG, e.baselineRecall,
                e.people, e.pairs, e.trainingSeconds
            ])
    }

    func appendModelArtifact(algorithm: String, bytes: [UInt8], createdAt: Int64) throws -> ModelArtifactInfo {
        let version = (try Int64.fetchOne(db, sql: "SELECT MAX(version) FROM model_artifacts WHERE algorithm = ?", arguments: [algorithm]) ?? 0) + 1
        let digest = Array(SHA256.hash(data: bytes))
        try db.execute(
            sql: "INSERT INTO model_artifacts (algorithm, version, created_at, sha256, bytes) VALUES (?, ?, ?, ?, ?)",
            arguments: [algorithm, version, createdAt, Data(digest), Data(bytes)])
        try db.execute(
            sql: "DELETE FROM model_artifacts WHERE algorithm = ? AND version <= ?", arguments: [algorithm, version - ModelArtifactInfo.versionsKept])
        return ModelArtifactInfo(algorithm: algorithm, version: version, createdAt: createdAt, sha256: digest)
    }
}
