import TactCore

/// Solves every row's regularized weighted least-squares problem of one ALS half-step:
/// for row u with confidences c_ui, x_u = (YᵀY + λI + Σ (c_ui − 1) y_i y_iᵀ)⁻¹ Σ c_ui y_i.
enum LeastSquaresSolver {
    static let chunkRows = 256

    /// Updates every row of `x` from `confidence` (rows × items of `y`) and fixed `y`. The confidence of a
    /// stored value v is `offset + scale · v`, computed on the fly so no second matrix is kept.
    /// With `diagonal`, `gram` holds only the diagonal of YᵀY + λI (the factors are in its eigenbasis),
    /// and each CG step multiplies by it elementwise instead of by a k×k matrix.
    static func solve(
        confidence: SparseMatrix, offset: Float = 0, scale: Float = 1, x: inout FactorMatrix, y: FactorMatrix,
        gram: [Float], diagonal: Bool = false, solver: ALSConfiguration.Solver, threads: Int
    ) {
        let s = y.stride, k = y.factors
        x.storage.withUnsafeMutableBufferPointer { xs in
            y.storage.withUnsafeBufferPointer { ys in
                gram.withUnsafeBufferPointer { gs in
                    confidence.rowStart.withUnsafeBufferPointer { starts in
                        confidence.indices.withUnsafeBufferPointer { idx in
                            confidence.values.withUnsafeBufferPointer { vals in
                                let xp = SharedPointer(base: xs.baseAddress!)
                                let yp = SharedPointer(base: UnsafeMutablePointer(mutating: ys.baseAddress!))
                                let gp = SharedPointer(base: UnsafeMutablePointer(mutating: gs.baseAddress!))
                                let sp = SharedPointer(base: UnsafeMutablePointer(mutating: starts.baseAddress!))
                                let ip = SharedPointer(base: UnsafeMutablePointer(mutating: idx.baseAddress!))
                                let vp = SharedPointer(base: UnsafeMutablePointer(mutating: vals.baseAddress!))
                                parallelChunks(count: confidence.rows, chunkSize: chunkRows, threads: threads) { range in
                                    let scratch = UnsafeMutablePointer<Float>.allocate(capacity: 4 * s + s * s + s)
                                    defer { scratch.deallocate() }
                                    scratch.initialize(repeating: 0, count: 4 * s + s * s + s)
                                    for u in range {
                                        let start = sp.base[u], end = sp.base[u + 1]
                                        let row = Row(items: ip.base + start, values: vp.base + start, count: end - start, offset: offset, scale: scale)
                                        let xu = xp.base + u * s
                                        switch solver {
                                        case .conjugateGradient(let steps):
                                            conjugateGradient(
                                                x: xu, row: row, y: yp.base, gram: gp.base, diagonal: diagonal, stride: s, factors: k, steps: steps,
                                                scratch: scratch)
                                        case .cholesky:
                                            cholesky(x: xu, row: row, y: yp.base, gram: gp.base, stride: s, factors: k, scratch: scratch)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// One row of the matrix: item indices and stored values, with the confidence map c = offset + scale · v.
    struct Row {
        let items: UnsafePointer<Int32>
        let values: UnsafePointer<Float>
        let count: Int
        var offset: Float = 0
        var scale: Float = 1

        @inline(__always)
        func confidence(_ n: Int) -> Float { offset + scale * values[n] }
    }

    /// A few CG steps from the current x, as in Takács et al. 2011 and `implicit`.
    @inline(__always)
    static func conjugateGradient(
        x: UnsafeMutablePointer<Float>, row: Row, y: UnsafePointer<Float>, gram: UnsafePointer<Float>, diagonal: Bool = false,
        stride s: Int, factors k: Int, steps: Int, scratch: UnsafeMutablePointer<Float>
    ) {
        let r = scratch, p = scratch + s, ap = scratch + 2 * s
        // r = b − A x, with A x = G x + Σ (c − 1)(y·x) y and b = Σ c y.
        if diagonal { VectorKernels.diagonalMultiply(gram, x, r, s) } else { VectorKernels.symmetricMultiply(gram, x, r, s, factors: k) }
        for j in 0..<s { r[j] = -r[j] }
        // Two items at a time: independent dot products, one pass over r.
        var n = 0
        while n + 2 <= row.count {
            let c0 = row.confidence(n), c1 = row.confidence(n + 1)
            let y0 = y + Int(row.items[n]) * s, y1 = y + Int(row.items[n + 1]) * s
            let t0 = c0 - (c0 - 1) * VectorKernels.dot(y0, x, s)
            let t1 = c1 - (c1 - 1) * VectorKernels.dot(y1, x, s)
            VectorKernels.axpy2(t0, y0, t1, y1, r, s)
            n += 2
        }
        if n < row.count {
            let c = row.confidence(n)
            let yi = y + Int(row.items[n]) * s
            VectorKernels.axpy(c - (c - 1) * VectorKernels.dot(yi, x, s), yi, r, s)
        }
        for j in 0..<s { p[j] = r[j] }
        var rsOld = VectorKernels.dot(r, r, s)
        if rsOld < 1e-20 { return }
        for _ in 0..<steps {
            if diagonal { VectorKernels.diagonalMultiply(gram, p, ap, s) } else { VectorKernels.symmetricMultiply(gram, p, ap, s, factors: k) }
            var n = 0
            while n + 2 <= row.count {
                let y0 = y + Int(row.items[n]) * s, y1 = y + Int(row.items[n + 1]) * s
                let w0 = (row.confidence(n) - 1) * VectorKernels.dot(y0, p, s)
                let w1 = (row.confidence(n + 1) - 1) * VectorKernels.dot(y1, p, s)
                VectorKernels.axpy2(w0, y0, w1, y1, ap, s)
                n += 2
            }
            if n < row.count {
                let yi = y + Int(row.items[n]) * s
                VectorKernels.axpy((row.confidence(n) - 1) * VectorKernels.dot(yi, p, s), yi, ap, s)
            }
            let alpha = rsOld / VectorKernels.dot(p, ap, s)
            VectorKernels.axpy(alpha, p, x, s)
            VectorKernels.axpy(-alpha, ap, r, s)
            let rsNew = VectorKernels.dot(r, r, s)
            if rsNew < 1e-20 { break }
            let beta = rsNew / rsOld
            for j in 0..<s { p[j] = r[j] + beta * p[j] }
            rsOld = rsNew
        }
    }

    /// The exact solution: build A and b, then Cholesky-solve.
    @inline(__always)
    static func cholesky(
        x: UnsafeMutablePointer<Float>, row: Row, y: UnsafePointer<Float>, gram: UnsafePointer<Float>,
        stride s: Int, factors k: Int, scratch: UnsafeMutablePointer<Float>
    ) {
        let b = scratch, a = scratch + 4 * s
        a.update(from: gram, count: s * s)
        for j in 0..<s { b[j] = 0 }
        for n in 0..<row.count {
            let c = row.confidence(n)
            let yi = y + Int(row.items[n]) * s
            for j in 0..<k where yi[j] != 0 { VectorKernels.axpy((c - 1) * yi[j], yi, a + j * s, s) }
            VectorKernels.axpy(c, yi, b, s)
        }
        DenseCholesky.solve(a: a, b: b, into: x, n: k, stride: s)
    }
}
