extension PopularityModel {
    /// A model with these scores (as read from a model file); the ranking is derived from them.
    public init(scores: [Float]) {
        self.scores = scores
        // Same order as the event-building initializer (higher score first, then lower index);
        // NaN scores (which that initializer never produces) go last, so the order stays total.
        self.ranking = scores.indices.sorted { a, b in
            let x = scores[a], y = scores[b]
            if x.isNaN || y.isNaN { return x.isNaN == y.isNaN ? a < b : y.isNaN }
            return x != y ? x > y : a < b
        }
    }
}

extension PopularityModel: Equatable {
    /// Equal when the scores and the ranking are.
    public static func == (lhs: PopularityModel, rhs: PopularityModel) -> Bool {
        lhs.scores == rhs.scores && lhs.ranking == rhs.ranking
    }
}
