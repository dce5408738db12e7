/// How an EASE model is trained (Steck 2019, "Embarrassingly Shallow Autoencoders for Sparse Data").
public struct EASEConfiguration: Sendable, Equatable, Codable {
    /// The L2 penalty λ added to the Gram matrix's diagonal. Steck found a few hundred best on
    /// MovieLens-sized data; it grows with the number of people.
    public var regularization: Float = 250
    /// The most items an EASE model is trained for: it keeps two dense items × items matrices
    /// (the Gram matrix, for exact erasure, and the weights) and inverts one, O(n³). At 10,000
    /// items that is 800 MB and minutes on two cores; past it, train item-kNN or iALS.
    public var maximumItems = 10_000
    /// Worker threads for the Gram matrix and the inversion (0: one per core).
    public var threads = 0

    public init(regularization: Float = 250, maximumItems: Int = 10_000, threads: Int = 0) {
        self.regularization = regularization
        self.maximumItems = maximumItems
        self.threads = threads
    }
}

/// Why an EASE model could not be trained.
public enum EASEError: Error, Equatable, CustomStringConvertible {
    case tooManyItems(items: Int, maximum: Int)
    case notPositiveDefinite

    public var description: String {
        switch self {
        case .tooManyItems(let items, let maximum):
            "EASE keeps two dense items × items matrices and inverts one: \(items) items is past its limit of \(maximum) (\(items * items * 8 >> 20) MiB). Train item-kNN or iALS for a catalog this large"
        case .notPositiveDefinite:
            "the Gram matrix plus the regularization is not positive definite; raise the regularization above 0"
        }
    }
}
