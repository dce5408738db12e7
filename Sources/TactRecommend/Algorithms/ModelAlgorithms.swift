/// Every algorithm, once. Adding one is a folder beside ALS, KNN and Popularity with its model
/// conforming to `RecommenderModel`, and a line here (docs/architecture.md, "Adding an algorithm").
public enum ModelAlgorithms {
    public static let all: [ModelAlgorithm] = [
        ModelAlgorithm(name: "als", model: ALSServing.self),
        ModelAlgorithm(name: "knn", model: ItemKNNModel.self),
        ModelAlgorithm(name: "ease", model: EASEModel.self),
        ModelAlgorithm(name: "blend", model: BlendServing.self),
        ModelAlgorithm(name: "popular", model: PopularityModel.self),
        ModelAlgorithm(name: "dp-als", model: ALSServing.self, isPrivate: true),
        ModelAlgorithm(name: "dp-popular", model: PopularityModel.self, isPrivate: true)
    ]

    /// The algorithm called `name`, if there is one.
    public static func named(_ name: String) -> ModelAlgorithm? {
        all.first { $0.name == name }
    }

    /// The names, in the order above.
    public static var names: [String] { all.map(\.name) }
}
