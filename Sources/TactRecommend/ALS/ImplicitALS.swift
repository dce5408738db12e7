import Foundation
import TactCore

/// Trains implicit-feedback ALS: alternately solves every user's and every item's least-squares
/// problem with the other side fixed. Deterministic for a seed, whatever the thread count.
public enum ImplicitALS {
    /// Progress after each iteration: (iteration from 1, loss, seconds the iteration took).
    public typealias Progress = (_ iteration: Int, _ loss: Double, _ seconds: Double) -> Void

    /// Trains on `userItems` (users × items; values are interaction strengths, turned into confidences).
    /// The loss costs one more pass over the data and a Gram matrix per iteration, so it is computed only with
    /// `computesLoss` (as `implicit` computes it only when asked); without it `progress` hears NaN and the
    /// model's `loss` stays empty.
    public static func train(_ userItems: SparseMatrix, configuration: ALSConfiguration, computesLoss: Bool = true, progress: Progress? = nil) -> ALSModel {
        // Linear confidence is computed on the fly from the stored values; the log variant is mapped once.
        let cui: SparseMatrix, offset: Float, scale: Float
        switch configuration.confidence {
        case .linear: (cui, offset, scale) = (userItems, 1, configuration.alpha)
        case .logarithmic: (cui, offset, scale) = (userItems.mapValues { configuration.confidence(of: $0) }, 0, 1)
        }
        let ciu = cui.transposed()
        let threads = resolvedThreads(configuration.threads)
        var x = FactorMatrix.random(rows: userItems.rows, factors: configuration.factors, seed: configuration.seed)
        var y = FactorMatrix.random(rows: userItems.columns, factors: configuration.factors, seed: configuration.seed &+ 1)
        var losses: [Double] = []
        for iteration in 1...max(configuration.iterations, 1) where configuration.iterations > 0 {
            let started = Date()
            halfStep(cui, offset: offset, scale: scale, solving: &x, fixed: &y, configuration: configuration, threads: threads)
            halfStep(ciu, offset: offset, scale: scale, solving: &y, fixed: &x, configuration: configuration, threads: threads)
            let seconds = Date().timeIntervalSince(started)
            var l = Double.nan
            if computesLoss {
                l = loss(cui, offset: offset, scale: scale, x: x, y: y, regularization: configuration.regularization, threads: threads)
                losses.append(l)
            }
            progress?(iteration, l, seconds)
        }
        return ALSModel(configuration: configuration, userFactors: x, itemFactors: y, loss: losses)
    }

    /// Solves every row of `solving` with `fixed` held. For conjugate gradient, when the solved side is
    /// large enough to pay for it, both sides are first rotated into the eigenbasis of YᵀY + λI: scores
    /// and norms do not change (the rotation is orthogonal), and each CG step's k×k product becomes
    /// an elementwise one.
    static func halfStep(
        _ matrix: SparseMatrix, offset: Float, scale: Float, solving: inout FactorMatrix, fixed: inout FactorMatrix,
        configuration: ALSConfiguration, threads: Int
    ) {
        let gram = GramMatrix.compute(fixed, regularization: configuration.regularization, threads: threads)
        // Rotating costs (solving + fixed) k² plus an eigen-decomposition; it saves 4 k² per solved row.
        if case .conjugateGradient = configuration.solver, 3 * solving.rows - fixed.rows > 64 * fixed.factors {
            let (values, vectors) = SymmetricEigen.decompose(gram, n: fixed.factors, stride: fixed.stride)
            SymmetricEigen.rotate(&solving, by: vectors, threads: threads)
            SymmetricEigen.rotate(&fixed, by: vectors, threads: threads)
            LeastSquaresSolver.solve(
                confidence: matrix, offset: offset, scale: scale, x: &solving, y: fixed, gram: values,
                diagonal: true, solver: configuration.solver, threads: threads)
        } else {
            LeastSquaresSolver.solve(
                confidence: matrix, offset: offset, scale: scale, x: &solving, y: fixed, gram: gram,
                solver: configuration.solver, threads: threads)
        }
    }

    /// Weighted squared error over all cells plus λ(‖X‖² + ‖Y‖²), divided by the total weight
    /// (Σ c over observed cells + the count of unobserved cells), as `implicit` reports it.
    /// Confidences are `offset + scale · value` of the stored values.
    public static func loss(_ cui: SparseMatrix, offset: Float = 0, scale: Float = 1, x: FactorMatrix, y: FactorMatrix, regularization: Float, threads: Int)
        -> Double
    {
        let s = y.stride, k = y.factors
        let gram = GramMatrix.compute(y, regularization: 0, threads: threads)
        let chunk = 1024
        let chunks = (cui.rows + chunk - 1) / chunk
        var partial = [Double](repeating: 0, count: max(chunks, 1) * 3)
        partial.withUnsafeMutableBufferPointer { pb in
            x.storage.withUnsafeBufferPointer { xs in
                y.storage.withUnsafeBufferPointer { ys in
                    gram.withUnsafeBufferPointer { gs in
                        let out = SharedPointer(base: pb.baseAddress!)
                        let xp = SharedPointer(base: UnsafeMutablePointer(mutating: xs.baseAddress!))
                        let yp = SharedPointer(base: UnsafeMutablePointer(mutating: ys.baseAddress!))
                        let gp = SharedPointer(base: UnsafeMutablePointer(mutating: gs.baseAddress!))
                        parallelChunks(count: cui.rows, chunkSize: chunk, threads: threads) { range in
                            let tmp = UnsafeMutablePointer<Float>.allocate(capacity: s)
                            defer { tmp.deallocate() }
                            var loss = 0.0, weight = 0.0, norm = 0.0
                            for u in range {
                                let xu = xp.base + u * s
                                VectorKernels.symmetricMultiply(gp.base, xu, tmp, s, factors: k)
                                loss += Double(VectorKernels.dot(tmp, xu, s))
                                for n in cui.rowStart[u]..<cui.rowStart[u + 1] {
                                    let c = Double(offset + scale * cui.values[n])
                                    let t = Double(VectorKernels.dot(yp.base + Int(cui.indices[n]) * s, xu, s))
                                    loss += (c - 1) * t * t - 2 * c * t + c
                                    weight += c
                                }
                                norm += Double(VectorKernels.dot(xu, xu, s))
                            }
                            let o = out.base + (range.lowerBound / chunk) * 3
                            o[0] = loss; o[1] = weight; o[2] = norm
                        }
                    }
                }
            }
        }
        var loss = 0.0, weight = 0.0, userNorm = 0.0
        for c in 0..<chunks { loss += partial[c * 3]; weight += partial[c * 3 + 1]; userNorm += partial[c * 3 + 2] }
        var itemNorm = 0.0
        for i in 0..<y.rows { for f in 0..<k { let v = Double(y.storage[i * s + f]); itemNorm += v * v } }
        loss += Double(regularization) * (itemNorm + userNorm)
        let unobserved = Double(cui.rows) * Double(cui.columns) - Double(cui.nonZeros)
        return loss / (weight + unobserved)
    }
}
