import Foundation
import TactRecommend

/// Saves trained models with the ids of their rows and columns, and loads them back.
public enum ModelStorage {
    public static func save(_ trained: TrainedModel, algorithm: String, data: InteractionMatrix, parameters: [String: String], to path: String) throws {
        let stored: StoredModel
        if let als = trained.als { stored = .als(als) } else { stored = .popularity(trained.popularity!) }
        let metadata = ModelMetadata(algorithm: algorithm, createdAt: Int64(Date().timeIntervalSince1970),
                                     users: data.users, items: data.items, parameters: parameters)
        try ModelFile.write(stored, metadata: metadata, to: path)
    }

    /// Loads the ALS model at `path`, or says how to make one.
    public static func loadALS(path: String) throws -> (model: ALSModel, metadata: ModelMetadata) {
        guard FileManager.default.fileExists(atPath: path) else {
            throw EngineError.invalidArgument("no trained model at \(path); train one with 'tact train'")
        }
        let (stored, metadata) = try ModelFile.read(from: path)
        guard case .als(let model) = stored else {
            throw EngineError.invalidArgument("\(path) holds a \(metadata.algorithm) model, not als; train one with 'tact train --algorithm als'")
        }
        return (model, metadata)
    }
}
