/// How good one trained model was on data it did not see, as recorded when it was trained: the
/// operator console draws model quality over time from these.
public struct ModelEvaluation: Sendable, Equatable, Codable {
    public var algorithm: String
    /// The store's version of the model (`ModelArtifactInfo.version`); 0 when it was not published.
    public var artifactVersion: Int64
    /// Seconds since 1970.
    public var recordedAt: Int64
    /// The cut-off of the ranking metrics.
    public var k: Int
    public var ndcg: Double
    public var recall: Double
    /// The same metrics for everyone's favourites (popularity) on the same held-out data.
    public var baselineNDCG: Double
    public var baselineRecall: Double
    /// People and (person, item) pairs the model was trained on.
    public var people: Int
    public var pairs: Int
    public var trainingSeconds: Double

    public init(
        algorithm: String, artifactVersion: Int64, recordedAt: Int64, k: Int, ndcg: Double, recall: Double,
        baselineNDCG: Double, baselineRecall: Double, people: Int, pairs: Int, trainingSeconds: Double
    ) {
        self.algorithm = algorithm
        self.artifactVersion = artifactVersion
        self.recordedAt = recordedAt
        self.k = k
        self.ndcg = ndcg
        self.recall = recall
        self.baselineNDCG = baselineNDCG
        self.baselineRecall = baselineRecall
        self.people = people
        self.pairs = pairs
        self.trainingSeconds = trainingSeconds
    }
}
