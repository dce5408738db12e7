import Foundation
import TactCore

/// Saved model versions and the evaluations of trained models.
/// Read inside any `Store.read` or `Store.write`; `StoreReader` composes every concern's reader.
public protocol ModelArtifactReader {
    /// The newest model saved under an algorithm; nil when none was.
    func latestModelArtifact(algorithm: String) throws -> ModelArtifactInfo?
    /// The bytes of one saved model version, checked against its SHA-256; nil when that version is gone.
    func modelArtifactBytes(algorithm: String, version: Int64) throws -> [UInt8]?
    /// The newest `limit` model evaluations, oldest first.
    func modelEvaluations(limit: Int) throws -> [ModelEvaluation]
}

/// Changes to saved model versions and the evaluations of trained models, inside a `Store.write`; `StoreWriter` composes every concern's writer.
public protocol ModelArtifactWriter {
    /// Saves a model file's bytes as the next version of the algorithm and drops versions older than
    /// the newest `ModelArtifactInfo.versionsKept`; returns what was stored.
    func appendModelArtifact(algorithm: String, bytes: [UInt8], createdAt: Int64) throws -> ModelArtifactInfo
    func appendModelEvaluation(_ evaluation: ModelEvaluation) throws
}
