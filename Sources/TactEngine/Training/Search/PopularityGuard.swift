import TactCore

/// The rule that no model worse than popularity is served: a model's settings trained on a validation
/// part's `fit` and scored beside popularity on its held-out part.
public enum PopularityGuard {
    /// Both scores, and whether the model may be served.
    public struct Verdict: Sendable {
        public var modelScore: Double
        public var popularityScore: Double
        public var people: Int
        public var k: Int
        public var passes: Bool { modelScore >= popularityScore }

        public init(modelScore: Double, popularityScore: Double, people: Int, k: Int) {
            self.modelScore = modelScore
            self.popularityScore = popularityScore
            self.people = people
            self.k = k
        }

        /// Why a failing model is refused, for logs and for `tact train`'s error.
        public var refusal: String {
            "the model scores NDCG@\(k) \(figure(modelScore)) on a validation part of the training data (\(people) people), below popularity's \(figure(popularityScore))"
        }
    }

    /// Nil for differentially private models (scoring them on people's data would be a release outside
    /// the budget), for popularity itself, and for data too small to hold a validation part out of.
    public static func check(_ matrix: SparseMatrix, spec: ModelSpec, seed: UInt64, threads: Int = 0) throws -> Verdict? {
        guard !spec.isPrivate, spec.name != ModelSpec.popular.name else { return nil }
        let part = ValidationPart(matrix, seed: seed, threads: threads)
        guard part.people > 0 else { return nil }
        return Verdict(modelScore: try part.score(spec).ndcg, popularityScore: try part.score(.popular).ndcg, people: part.people, k: part.k)
    }

    /// `check` as a value (matrix, spec, seed), for callers that hold the check as a setting.
    public static let seededCheck: @Sendable (SparseMatrix, ModelSpec, UInt64) throws -> Verdict? = { matrix, spec, seed in
        try check(matrix, spec: spec, seed: seed)
    }

    private static func figure(_ value: Double) -> String { String(format: "%.4f", value) }
}
