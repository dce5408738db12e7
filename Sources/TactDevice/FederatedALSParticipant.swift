import TactCore
import TactRecommend

/// A device's part in federated iALS. The server holds the item factors Y and sends them (or a CG
/// direction P) down; the device keeps its history and its own vector x_u, and sends up only its
/// contribution to the item step, masked by secure aggregation so the server sees just the sum:
///
/// - the residual message: for each item i it used, c_ui·x_u − (c_ui − 1)(x_u·y_i)·x_u (zero for the
///   rest), followed by the upper triangle of x_u x_uᵀ; summed over devices that is Σ_u c_ui p_ui x_u −
///   Σ_u (c_ui − 1)(x_u·y_i) x_u and XᵀX, from which the server forms each item's CG residual;
/// - the product message for a direction P: (c_ui − 1)(x_u·p_i)·x_u for the items it used; summed, the
///   part of A_i p_i that depends on people.
///
/// That is exactly the item half-step of centralized iALS with conjugate gradient (as `implicit` and
/// `ImplicitALS` do it): no approximation, only the rounding of secure aggregation's fixed point.
/// With `clipNorm`, each message is scaled down to that ℓ₂ norm, bounding one person's influence
/// for differential privacy on the sum.
public struct FederatedALSParticipant: Sendable {
    public let history: [(item: Int32, value: Float)]
    public let items: Int
    public let configuration: ALSConfiguration
    /// This device's vector; never sent.
    public private(set) var userVector: [Float]

    public init(history: [(item: Int32, value: Float)], items: Int, configuration: ALSConfiguration) {
        self.history = history
        self.items = items
        self.configuration = configuration
        userVector = [Float](repeating: 0, count: configuration.factors)
    }

    /// Length of the residual message: items × k, then k(k+1)/2.
    public static func residualLength(items: Int, factors k: Int) -> Int { items * k + k * (k + 1) / 2 }

    /// The user step: x_u solved exactly against the downloaded item factors.
    public mutating func updateUserVector(_ serving: ALSServing) {
        guard !history.isEmpty else { return }
        let x = PersonalSystem(serving: serving, history: history).userVector
        userVector = Array(x.prefix(configuration.factors))
    }

    /// The residual message for item factors `y`.
    public func residualMessage(_ y: FactorMatrix, clipNorm: Float? = nil) -> [Float] {
        let k = configuration.factors, s = y.stride
        var message = [Float](repeating: 0, count: Self.residualLength(items: items, factors: k))
        let x = userVector
        for h in history {
            let c = configuration.confidence(of: h.value)
            let base = Int(h.item) * s
            var dot: Float = 0
            for f in 0..<k { dot += x[f] * y.storage[base + f] }
            let weight = c - (c - 1) * dot
            let out = Int(h.item) * k
            for f in 0..<k { message[out + f] = weight * x[f] }
        }
        var at = items * k
        for a in 0..<k {
            for b in a..<k { message[at] = x[a] * x[b]; at += 1 }
        }
        if let clipNorm { Self.clip(&message, to: clipNorm) }
        return message
    }

    /// The product message for a CG direction `p` (items × k, unpadded).
    public func productMessage(_ p: [Float], clipNorm: Float? = nil) -> [Float] {
        let k = configuration.factors
        var message = [Float](repeating: 0, count: items * k)
        let x = userVector
        for h in history {
            let c = configuration.confidence(of: h.value)
            let base = Int(h.item) * k
            var dot: Float = 0
            for f in 0..<k { dot += x[f] * p[base + f] }
            let weight = (c - 1) * dot
            for f in 0..<k { message[base + f] = weight * x[f] }
        }
        if let clipNorm { Self.clip(&message, to: clipNorm) }
        return message
    }

    /// Scales `v` down to ℓ₂ norm at most `norm`.
    public static func clip(_ v: inout [Float], to norm: Float) {
        var squares: Double = 0
        for x in v { squares += Double(x) * Double(x) }
        let length = squares.squareRoot()
        guard length > Double(norm), length > 0 else { return }
        let scale = Float(Double(norm) / length)
        for i in v.indices { v[i] *= scale }
    }
}
