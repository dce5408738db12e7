/// One person's own least-squares system under an iALS model, A = YᵀY + λI + Σ (cᵢ − 1) yᵢyᵢᵀ with
/// right-hand side Σ cᵢ yᵢ, factored once per request: it gives the folded-in user vector and then
/// explains up to 16 items at a time with one pair of triangular solves (one SIMD lane per item),
/// instead of building and factoring A for every item. Float32 throughout: A is well conditioned
/// (λ > 0 on the diagonal), and reasons need shares, not many digits.
public struct PersonalSystem: Sendable {
    /// The user vector that best explains the history (item factors fixed), padded to the model's stride.
    public let userVector: [Float]
    let history: [(item: Int32, value: Float)]
    let confidences: [Float]
    /// L of A = L Lᵀ: row-major with the model's stride, zero above the diagonal; empty if A was not positive definite.
    let lower: [Float]
    let serving: ALSServing

    public init(serving: ALSServing, history: [(item: Int32, value: Float)]) {
        self.serving = serving
        self.history = history
        let y = serving.model.itemFactors, s = y.stride, k = y.factors
        let confidences = history.map { serving.model.configuration.confidence(of: $0.value) }
        self.confidences = confidences
        var a = serving.itemGram
        var b = [Float](repeating: 0, count: s)
        var l = [Float](repeating: 0, count: s * s)
        var x = [Float](repeating: 0, count: s)
        var ok = false
        y.storage.withUnsafeBufferPointer { ys in
            a.withUnsafeMutableBufferPointer { ap in
                b.withUnsafeMutableBufferPointer { bp in
                    for (n, h) in history.enumerated() {
                        let c = confidences[n]
                        let yi = ys.baseAddress! + Int(h.item) * s
                        for j in 0..<k where yi[j] != 0 { VectorKernels.axpy((c - 1) * yi[j], yi, ap.baseAddress! + j * s, s) }
                        VectorKernels.axpy(c, yi, bp.baseAddress!, s)
                    }
                    l.withUnsafeMutableBufferPointer { lp in
                        ok = Self.factor(ap.baseAddress!, into: lp.baseAddress!, n: k, stride: s)
                        if ok {
                            x.withUnsafeMutableBufferPointer { xp in
                                Self.solve(lp.baseAddress!, rightHandSides: [UnsafePointer(bp.baseAddress!)], into: [xp.baseAddress!], n: k, stride: s)
                            }
                        }
                    }
                }
            }
        }
        userVector = x
        lower = ok ? l : []
    }

    /// Why `item` scores as it does: each history item's contribution cᵢ (A⁻¹ y_item)·yᵢ, largest first;
    /// they sum to the score. The same answer as `ALSServing.explain`, at a fraction of the cost.
    public func explain(item: Int32) -> (score: Float, contributions: [(item: Int32, contribution: Float)]) {
        explain(items: [item])[0]
    }

    /// `explain(item:)` for many items, 16 per pair of triangular solves.
    public func explain(items: [Int32]) -> [(score: Float, contributions: [(item: Int32, contribution: Float)])] {
        guard !lower.isEmpty else { return items.map { _ in (0, history.map { ($0.item, 0) }) } }
        let y = serving.model.itemFactors, s = y.stride, k = y.factors
        var out: [(score: Float, contributions: [(item: Int32, contribution: Float)])] = []
        out.reserveCapacity(items.count)
        var w = [Float](repeating: 0, count: 16 * s)
        y.storage.withUnsafeBufferPointer { ys in
            let base = ys.baseAddress!
            lower.withUnsafeBufferPointer { lp in
                w.withUnsafeMutableBufferPointer { wp in
                    var start = 0
                    while start < items.count {
                        let chunk = Array(items[start..<min(items.count, start + 16)])
                        Self.solve(
                            lp.baseAddress!, rightHandSides: chunk.map { UnsafePointer(base + Int($0) * s) },
                            into: (0..<chunk.count).map { wp.baseAddress! + $0 * s }, n: k, stride: s)
                        for lane in 0..<chunk.count {
                            var contributions: [(item: Int32, contribution: Float)] = []
                            contributions.reserveCapacity(history.count)
                            var total: Float = 0
                            for (n, h) in history.enumerated() {
                                let v = confidences[n] * VectorKernels.dot(wp.baseAddress! + lane * s, base + Int(h.item) * s, s)
                                contributions.append((h.item, v))
                                total += v
                            }
                            contributions.sort { $0.contribution > $1.contribution }
                            out.append((total, contributions))
                        }
                        start += 16
                    }
                }
            }
        }
        return out
    }

    /// Cholesky: L Lᵀ = A for the leading n×n block, L written (zero above the diagonal) into `l`,
    /// which must start zeroed. Column by column, so each inner product runs over a whole padded row
    /// of L in SIMD: the entries not yet computed are still zero. False if A is not positive definite.
    static func factor(_ a: UnsafePointer<Float>, into l: UnsafeMutablePointer<Float>, n: Int, stride s: Int) -> Bool {
        for j in 0..<n {
            let lj = l + j * s
            let d = a[j * s + j] - VectorKernels.dot(lj, lj, s)
            guard d > 0, d.isFinite else { return false }
            let ljj = d.squareRoot()
            let inverse = 1 / ljj
            for i in (j + 1)..<max(n, j + 1) {
                l[i * s + j] = (a[i * s + j] - VectorKernels.dot(l + i * s, lj, s)) * inverse
            }
            lj[j] = ljj
        }
        return true
    }

    /// Solves L Lᵀ x = b for up to 16 right-hand sides at once, one SIMD lane each; pads each x with zeros to the stride.
    static func solve(_ l: UnsafePointer<Float>, rightHandSides b: [UnsafePointer<Float>], into x: [UnsafeMutablePointer<Float>], n: Int, stride s: Int) {
        let lanes = b.count
        withUnsafeTemporaryAllocation(of: SIMD16<Float>.self, capacity: n) { z in
            for i in 0..<n {
                var v = SIMD16<Float>()
                for lane in 0..<lanes { v[lane] = b[lane][i] }
                let li = l + i * s
                for m in 0..<i { v = v - z[m] * SIMD16(repeating: li[m]) }
                z[i] = v * SIMD16(repeating: 1 / li[i])
            }
            // Lᵀ w = z, overwriting z with w from the last row up.
            for i in stride(from: n - 1, through: 0, by: -1) {
                var v = z[i]
                for m in (i + 1)..<max(n, i + 1) { v = v - z[m] * SIMD16(repeating: l[m * s + i]) }
                z[i] = v * SIMD16(repeating: 1 / l[i * s + i])
            }
            for lane in 0..<lanes {
                for i in 0..<n { x[lane][i] = z[i][lane] }
                for i in n..<s { x[lane][i] = 0 }
            }
        }
    }
}
