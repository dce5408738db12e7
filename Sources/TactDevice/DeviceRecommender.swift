import Foundation
import TactCore
import TactRecommend

/// Ranks on the device: the item factors and the catalog come down once (a model file, the same
/// format `tact train` writes); the person's vector is computed here from the local history (fold-in)
/// and never sent anywhere. Reasons name the history items that contributed most.
public struct DeviceRecommender: Sendable {
    public struct Suggestion: Sendable, Equatable {
        public var item: String
        public var score: Float
        /// History items and their share of the score, largest first.
        public var because: [(item: String, share: Float)]

        public static func == (a: Suggestion, b: Suggestion) -> Bool {
            a.item == b.item && a.score == b.score && a.because.map(\.item) == b.because.map(\.item) && a.because.map(\.share) == b.because.map(\.share)
        }
    }

    public let items: [String]
    let index: [String: Int32]
    let serving: ALSServing

    /// From a downloaded model file's bytes: an iALS or DP-ALS model (item factors) and its catalog.
    public init(modelFile bytes: [UInt8]) throws {
        let (model, metadata) = try ModelFile.decode(bytes)
        let als = try model.alsModel()
        self.init(itemFactors: als.itemFactors, configuration: als.configuration, items: metadata.items)
    }

    /// The file a server hands to devices: the item factors and the catalog of `model`, without
    /// anyone's user vector (those stay with their devices or are folded in again there).
    public static func downloadFile(_ model: ALSModel, items: [String], createdAt: Int64) -> [UInt8] {
        let itemsOnly = ALSModel(
            configuration: model.configuration, userFactors: FactorMatrix(rows: 0, factors: model.itemFactors.factors),
            itemFactors: model.itemFactors)
        return ModelFile.encode(.als(itemsOnly), metadata: ModelMetadata(algorithm: "als", createdAt: createdAt, users: [], items: items))
    }

    /// From item factors directly (for instance those a federated round just produced).
    public init(itemFactors: FactorMatrix, configuration: ALSConfiguration, items: [String]) {
        precondition(itemFactors.rows == items.count, "one factor row per catalog item")
        self.items = items
        index = Dictionary(items.enumerated().map { ($1, Int32($0)) }, uniquingKeysWith: { a, _ in a })
        let model = ALSModel(configuration: configuration, userFactors: FactorMatrix(rows: 0, factors: itemFactors.factors), itemFactors: itemFactors)
        serving = ALSServing(model: model, indexThreshold: Int.max)
    }

    /// The local history as (catalog index, value); items the catalog lacks are skipped.
    public func localHistory(_ history: DeviceHistory) -> [(item: Int32, value: Float)] {
        history.totals().compactMap { id, value in index[id].map { ($0, value) } }.sorted { $0.item < $1.item }
    }

    /// The top `k` unseen items for this history, each with its reasons.
    public func recommend(_ history: DeviceHistory, k: Int = 10, reasons: Int = 3) -> [Suggestion] {
        let local = localHistory(history)
        guard !local.isEmpty else { return [] }
        let system = PersonalSystem(serving: serving, history: local)
        let top = serving.recommendExact(system.userVector, k: k, excluding: Set(local.map(\.item)))
        let explained = system.explain(items: top.map(\.item))
        return zip(top, explained).map { pick, why in
            let total = why.contributions.reduce(Float(0)) { $0 + max(0, $1.contribution) }
            let because = why.contributions.filter { $0.contribution > 0 }.prefix(reasons).map {
                (items[Int($0.item)], total > 0 ? $0.contribution / total : 0)
            }
            return Suggestion(item: items[Int(pick.item)], score: pick.score, because: Array(because))
        }
    }
}
