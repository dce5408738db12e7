/// One differentially private release (a model, a statistic) as the budget ledger records it.
public struct PrivacyRelease: Sendable, Equatable, Codable {
    /// What the release was computed from, e.g. "interactions".
    public var dataset: String
    /// What was released, e.g. "dp-popularity 2026-11-29".
    public var release: String
    /// How, e.g. "discrete-gaussian".
    public var mechanism: String
    public var epsilon: Double
    public var delta: Double
    /// Seconds since 1970.
    public var recordedAt: Int64

    public init(dataset: String, release: String, mechanism: String, epsilon: Double, delta: Double, recordedAt: Int64) {
        self.dataset = dataset
        self.release = release
        self.mechanism = mechanism
        self.epsilon = epsilon
        self.delta = delta
        self.recordedAt = recordedAt
    }
}
