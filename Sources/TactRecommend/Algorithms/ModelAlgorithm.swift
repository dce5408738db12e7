/// One algorithm as the rest of the code knows it: its name and the model it makes. Listed once, in
/// `ModelAlgorithms.all`.
public struct ModelAlgorithm: Sendable {
    /// The name on the command line (`--algorithm`), in a model file's metadata and in its file name.
    public let name: String
    /// The kind of model it trains: served, saved, loaded and erased through `RecommenderModel`.
    public let model: any RecommenderModel.Type
    /// Whether its model is a differentially private release: charged to the privacy ledger, trained over
    /// the registered universe, never re-solved exactly by an erasure, and its own popularity release is
    /// the only popularity shown beside it.
    public let isPrivate: Bool

    public init(name: String, model: any RecommenderModel.Type, isPrivate: Bool = false) {
        self.name = name
        self.model = model
        self.isPrivate = isPrivate
    }

    /// The model in a file written for this algorithm; nil when it holds another kind of model.
    public func model(from stored: StoredModel) -> (any RecommenderModel)? {
        model.init(stored: stored)
    }
}
