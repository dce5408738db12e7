import TactCore

/// The cosine of two items over who had them (binary), from a training matrix: a similarity that
/// belongs to no model, so the diversity of lists from different models is measured alike.
public struct CooccurrenceSimilarity: Sendable {
    /// Item → the sorted rows (people) that have it.
    private let people: [[Int32]]

    public init(_ matrix: SparseMatrix) {
        var people = [[Int32]](repeating: [], count: matrix.columns)
        for r in 0..<matrix.rows {
            for item in matrix.row(r).indices { people[Int(item)].append(Int32(r)) }
        }
        self.people = people
    }

    public func callAsFunction(_ a: Int32, _ b: Int32) -> Float {
        let x = people[Int(a)], y = people[Int(b)]
        guard !x.isEmpty, !y.isEmpty else { return 0 }
        var i = 0, j = 0, shared = 0
        while i < x.count, j < y.count {
            if x[i] == y[j] { shared += 1; i += 1; j += 1 } else if x[i] < y[j] { i += 1 } else { j += 1 }
        }
        return Float(shared) / (Float(x.count) * Float(y.count)).squareRoot()
    }
}
