/// What a differentially private model cost: the ledger records it before the model is saved or served.
public struct PrivacyCharge: Sendable, Equatable {
    public var epsilon: Double
    public var delta: Double
    public var mechanism: String

    public init(epsilon: Double, delta: Double, mechanism: String) {
        self.epsilon = epsilon
        self.delta = delta
        self.mechanism = mechanism
    }
}
