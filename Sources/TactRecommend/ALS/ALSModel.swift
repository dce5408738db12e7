/// A trained implicit-feedback matrix factorization: one factor vector per user and per item.
public struct ALSModel: Sendable, Equatable {
    public var configuration: ALSConfiguration
    public var userFactors: FactorMatrix
    public var itemFactors: FactorMatrix
    /// Training loss after each iteration (implicit's definition: weighted squared error plus
    /// regularization, divided by the total weight).
    public var loss: [Double]

    public init(configuration: ALSConfiguration, userFactors: FactorMatrix, itemFactors: FactorMatrix, loss: [Double] = []) {
        self.configuration = configuration
        self.userFactors = userFactors
        self.itemFactors = itemFactors
        self.loss = loss
    }

    public var users: Int { userFactors.rows }
    public var items: Int { itemFactors.rows }
}
