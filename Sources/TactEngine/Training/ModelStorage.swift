import Foundation
import TactRecommend

/// Saves trained models with the ids of their rows and columns, and loads them back.
public enum ModelStorage {
    public static func save(_ trained: TrainedModel, algorithm: String, data: InteractionMatrix, parameters: [String: String], to path: String) throws {
        let stored: StoredModel
        if let als = trained.als {
            stored = .als(als)
        } else if let popularity = trained.popularity {
            stored = .popularity(popularity)
        } else {
            throw EngineError.invalidArgument("saving \(algorithm) models is not supported yet; evaluate them with 'tact evaluate --algorithm \(algorithm)'")
        }
        let metadata = ModelMetadata(algorithm: algorithm, createdAt: Int64(Date().timeIntervalSince1970),
                                     users: data.users, items: data.items, parameters: parameters)
        try ModelFile.write(stored, metadata: metadata, to: path)
    }

    /// Loads the ALS model at `path`, or says how to make one.
    public static func loadALS(path: String) throws -> (model: ALSModel, metadata: ModelMetadata) {
        do {
            let (stored, metadata) = try ModelFile.read(from: path)
            return (try stored.alsModel(), metadata)
        } catch ModelFileError.notFound {
            throw EngineError.invalidArgument("no trained model at \(path); train one with 'tact train'")
        }
    }
}
