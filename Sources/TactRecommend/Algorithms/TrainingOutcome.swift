/// What one training gave: the model as a file stores it, and for a private model what it cost.
public struct TrainingOutcome: Sendable {
    /// How the seconds of one iteration are told from the whole training's.
    public enum IterationTime: Sendable {
        /// One pass: the whole training.
        case onePass
        /// Measured: the mean of the iterations' own seconds.
        case measured(Double)
        /// The whole training's seconds shared by this many iterations.
        case shared(iterations: Int)
    }

    public var model: StoredModel
    /// For differentially private models: the (ε, δ) they spend.
    public var privacy: PrivacyCharge?
    /// A DP-ALS model's noisy item counts, one per column, released with it (`PrivateALSResult.noisyCounts`).
    public var releasedPopularity: [Float]?
    public var iterationTime: IterationTime

    public init(model: StoredModel, privacy: PrivacyCharge? = nil, releasedPopularity: [Float]? = nil, iterationTime: IterationTime = .onePass) {
        self.model = model
        self.privacy = privacy
        self.releasedPopularity = releasedPopularity
        self.iterationTime = iterationTime
    }
}
