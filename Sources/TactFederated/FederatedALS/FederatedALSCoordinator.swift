import TactCore
import TactDevice
import TactRecommend

/// The server's side of federated iALS: it owns the item factors and runs each item's
/// conjugate-gradient half-step from sums that secure aggregation hands it: first the residual sum
/// (Σ_u residual messages, with XᵀX), then one product sum per CG step. Per item, exactly the
/// arithmetic of centralized CG (warm-started from the current y_i, `steps` steps).
public struct FederatedALSCoordinator: Sendable {
    public let configuration: ALSConfiguration
    public private(set) var itemFactors: FactorMatrix
    public var items: Int { itemFactors.rows }
    var gram: [Double] = []  // XᵀX + λI, k × k
    var residual: [Double] = []  // r_i, items × k
    var direction: [Double] = []  // p_i
    var residualNorms: [Double] = []  // r_i·r_i
    var directionLengths: [Double] = []  // ‖p_i‖: directions go down as unit vectors
    public private(set) var step = 0

    public init(items: Int, configuration: ALSConfiguration) {
        self.configuration = configuration
        // The same start as centralized training's item side.
        itemFactors = FactorMatrix.random(rows: items, factors: configuration.factors, seed: configuration.seed &+ 1)
    }

    public var cgSteps: Int {
        if case .conjugateGradient(let steps) = configuration.solver { return steps }
        return 3
    }

    /// Starts an item half-step from the residual sum; returns the first direction (items × k) to
    /// broadcast, or nil if every item has converged.
    public mutating func begin(residualSum: [Double]) -> [Float]? {
        let k = configuration.factors, s = itemFactors.stride, n = items
        precondition(residualSum.count == FederatedALSParticipant.residualLength(items: n, factors: k), "residual sum of the wrong length")
        gram = [Double](repeating: 0, count: k * k)
        var at = n * k
        for a in 0..<k {
            for b in a..<k { gram[a * k + b] = residualSum[at]; gram[b * k + a] = residualSum[at]; at += 1 }
            gram[a * k + a] += Double(configuration.regularization)
        }
        residual = [Double](repeating: 0, count: n * k)
        residualNorms = [Double](repeating: 0, count: n)
        for i in 0..<n {
            let y = itemFactors.storage[(i * s)..<(i * s + k)].map(Double.init)
            var norm: Double = 0
            for a in 0..<k {
                var gy: Double = 0
                for b in 0..<k { gy += gram[a * k + b] * y[b] }
                let r = residualSum[i * k + a] - gy
                residual[i * k + a] = r
                norm += r * r
            }
            residualNorms[i] = norm
        }
        direction = residual
        step = 0
        return residualNorms.allSatisfy({ $0 < 1e-20 }) ? nil : broadcastDirection()
    }

    /// The direction as devices receive it: each item's p_i scaled to unit length, so that their
    /// messages stay within the fixed-point bound however large the residuals are. The product is
    /// linear in p_i, so the server scales each item's sum back by ‖p_i‖.
    mutating func broadcastDirection() -> [Float] {
        let k = configuration.factors
        directionLengths = [Double](repeating: 0, count: items)
        var out = [Float](repeating: 0, count: items * k)
        for i in 0..<items where residualNorms[i] >= 1e-20 {
            var squares: Double = 0
            for a in 0..<k { squares += direction[i * k + a] * direction[i * k + a] }
            let length = squares.squareRoot()
            directionLengths[i] = length
            guard length > 0 else { continue }
            for a in 0..<k { out[i * k + a] = Float(direction[i * k + a] / length) }
        }
        return out
    }

    /// One CG step from the product sum for the current direction; returns the next direction, or nil
    /// when the half-step is done (all steps taken or every item converged).
    public mutating func advance(productSum: [Double]) -> [Float]? {
        let k = configuration.factors, s = itemFactors.stride, n = items
        precondition(productSum.count == n * k, "product sum of the wrong length")
        var active = false
        for i in 0..<n where residualNorms[i] >= 1e-20 {
            let p = i * k
            var ap = [Double](repeating: 0, count: k)
            for a in 0..<k {
                var gp: Double = 0
                for b in 0..<k { gp += gram[a * k + b] * direction[p + b] }
                ap[a] = gp + productSum[p + a] * directionLengths[i]
            }
            var pap: Double = 0
            for a in 0..<k { pap += direction[p + a] * ap[a] }
            guard pap > 0 else { residualNorms[i] = 0; continue }
            let alpha = residualNorms[i] / pap
            var norm: Double = 0
            for a in 0..<k {
                itemFactors.storage[i * s + a] += Float(alpha * direction[p + a])
                residual[p + a] -= alpha * ap[a]
                norm += residual[p + a] * residual[p + a]
            }
            if norm < 1e-20 { residualNorms[i] = 0; continue }
            let beta = norm / residualNorms[i]
            for a in 0..<k { direction[p + a] = residual[p + a] + beta * direction[p + a] }
            residualNorms[i] = norm
            active = true
        }
        step += 1
        return step < cgSteps && active ? broadcastDirection() : nil
    }
}
