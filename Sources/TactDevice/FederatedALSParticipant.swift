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
/// (With differential privacy, devices send DP-ALS's contributions instead: `FederatedPrivateALS`.)
public struct FederatedALSParticipant: Sendable {
    public let history: [(item: Int32, value: Float)]
    public let items: Int
    public let configuration: ALSConfiguration
    /// This device's vector; never sent.
    public private(set) var userVector: [Float]

    /// `history`: the device's interactions as catalog positions; repeated items are summed.
    public init(history: [(item: Int32, value: Float)], items: Int, configuration: ALSConfiguration) {
        var totals: [Int32: Float] = [:]
        for h in history { totals[h.item, default: 0] += h.value }
        self.history = totals.keys.sorted().map { ($0, totals[$0]!) }
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
    public func residualMessage(_ y: FactorMatrix) -> [Float] {
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
        return message
    }

    /// The product message for a CG direction `p` (items × k, unpadded).
    public func productMessage(_ p: [Float]) -> [Float] {
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
        return message
    }
}
