/// How alike two items are, for diversity and for smooth playlists: the cosine of their latent factors
/// when a factor model is at hand, else the Jaccard overlap of their tags.
public struct ItemSimilarity: Sendable {
    private let matrix: FactorMatrix?
    private let inverseNorms: [Float]
    private let tags: [Set<String>]

    /// From item factors: each similarity is one dot product scaled by the rows' inverse norms
    /// (kept, one per item, so the factors are not copied).
    public init(factors matrix: FactorMatrix) {
        self.matrix = matrix
        inverseNorms = (0..<matrix.rows).map { r in
            var norm: Float = 0
            for f in 0..<matrix.factors { let v = matrix.storage[r * matrix.stride + f]; norm = norm + v * v }
            return norm > 0 ? 1 / norm.squareRoot() : 0
        }
        tags = []
    }

    /// From each item's tags.
    public init(tags: [[String]]) {
        matrix = nil
        inverseNorms = []
        self.tags = tags.map(Set.init)
    }

    public var usesFactors: Bool { matrix != nil }

    public func callAsFunction(_ a: Int32, _ b: Int32) -> Float {
        if let matrix {
            let i = Int(a) * matrix.stride, j = Int(b) * matrix.stride
            var dot: Float = 0
            matrix.storage.withUnsafeBufferPointer { s in
                for f in 0..<matrix.factors { dot = dot + s[i + f] * s[j + f] }
            }
            return dot * inverseNorms[Int(a)] * inverseNorms[Int(b)]
        }
        let x = tags[Int(a)], y = tags[Int(b)]
        guard !x.isEmpty || !y.isEmpty else { return 0 }
        let shared = x.intersection(y).count
        return Float(shared) / Float(x.count + y.count - shared)
    }
}
