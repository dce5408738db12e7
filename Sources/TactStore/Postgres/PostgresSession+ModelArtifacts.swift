import Crypto
import Foundation
import PostgresNIO
import TactCore

/// PostgresSession's part of `ModelArtifactReader` and `ModelArtifactWriter`: saved model versions and the evaluations of trained models.
extension PostgresSession {
    func latestModelArtifact(algorithm: String) throws -> ModelArtifactInfo? {
        try rows("SELECT version, created_at, sha256 FROM model_artifacts WHERE algorithm = $1 ORDER BY version DESC LIMIT 1", [.text(algorithm)])
            .first.map { ModelArtifactInfo(algorithm: algorithm, version: try $0.int(0), createdAt: try $0.int(1), sha256: try $0.bytes(2)) }
    }

    func modelArtifactBytes(algorithm: String, version: Int64) throws -> [UInt8]? {
        guard let row = try rows("SELECT sha256, bytes FROM model_artifacts WHERE algorithm = $1 AND version = $2", [.text(algorithm), .int(version)]).first
        else {
            return nil
        }
        let bytes = try row.bytes(1)
        guard Array(SHA256.hash(data: bytes)) == (try row.bytes(0)) else {
            throw StoreError.corrupt(what: "model \(algorithm) version \(version) (its bytes do not match their SHA-256)")
        }
        return bytes
    }

    func modelEvaluations(limit: Int) throws -> [ModelEvaluation] {
        try rows(
            "SELECT algorithm, artifact_version, recorded_at, k, ndcg, recall, baseline_ndcg, baseline_recall, people, pairs, training_seconds FROM model_evaluations ORDER BY id DESC LIMIT $1",
            [.int(Int64(limit))]
        ).reversed().map {
            ModelEvaluation(
                algorithm: try $0.text(0), artifactVersion: try $0.int(1), recordedAt: try $0.int(2), k: Int(try $0.int(3)),
                ndcg: try $0.double(4), recall: try $0.double(5), baselineNDCG: try $0.double(6), baselineRecall: try $0.double(7),
                people: Int(try $0.int(8)), pairs: Int(try $0.int(9)), trainingSeconds: try $0.double(10))
        }
    }

    func appendModelEvaluation(_ e: ModelEvaluation) throws {
        try execute(
            "INSERT INTO model_evaluations (algorithm, artifact_version, recorded_at, k, ndcg, recall, baseline_ndcg, baseline_recall, people, pairs, training_seconds) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            [
                .text(e.algorithm), .int(e.artifactVersion), .int(e.recordedAt), .int(Int64(e.k)), .double(e.ndcg), .double(e.recall),
                .double(e.baselineNDCG), .double(e.baselineRecall), .int(Int64(e.people)), .int(Int64(e.pairs)), .double(e.trainingSeconds)
            ])
    }

    func appendModelArtifact(algorithm: String, bytes: [UInt8], createdAt: Int64) throws -> ModelArtifactInfo {
        // Writes are serialized (see `PostgresStore.write`), so two servers saving at once get two versions.
        let version = (try int("SELECT MAX(version) FROM model_artifacts WHERE algorithm = $1", [.text(algorithm)]) ?? 0) + 1
        let digest = Array(SHA256.hash(data: bytes))
        try execute(
            "INSERT INTO model_artifacts (algorithm, version, created_at, sha256, bytes) VALUES ($1, $2, $3, $4, $5)",
            [.text(algorithm), .int(version), .int(createdAt), .bytes(digest), .bytes(bytes)])
        try execute("DELETE FROM model_artifacts WHERE algorithm = $1 AND version <= $2", [.text(algorithm), .int(version - ModelArtifactInfo.versionsKept)])
        return ModelArtifactInfo(algorithm: algorithm, version: version, createdAt: createdAt, sha256: digest)
    }
}
