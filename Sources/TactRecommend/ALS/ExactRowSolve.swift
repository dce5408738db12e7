/// One row's exact ALS solution, x = (G + Σ (c_n − 1) v_n v_nᵀ)⁻¹ Σ c_n v_n over rows v_n of the fixed
/// factors: what `LeastSquaresSolver.cholesky` computes, built faster for long rows. Only the lower
/// triangle (which `DenseCholesky` reads) is accumulated, four rows at a time, and the sum is kept
/// apart from G until it is complete, so G's large entries do not swamp its small terms.
enum ExactRowSolve {
    /// Writes x (padded with zeros to `stride`); leaves it unchanged if the system is not positive definite.
    /// `scratch` holds stride² + stride floats.
    @inline(__always)
    static func solve(
        into x: UnsafeMutablePointer<Float>, rows: UnsafePointer<Int32>, confidences: UnsafePointer<Float>, count: Int,
        factors v: UnsafePointer<Float>, gram: UnsafePointer<Float>, stride s: Int, k: Int,
        scratch: UnsafeMutablePointer<Float>
    ) {
        let a = scratch, b = scratch + s * s
        a.update(repeating: 0, count: s * s + s)
        var n = 0
        while n + 4 <= count {
            let v0 = v + Int(rows[n]) * s, v1 = v + Int(rows[n + 1]) * s
            let v2 = v + Int(rows[n + 2]) * s, v3 = v + Int(rows[n + 3]) * s
            let c0 = confidences[n], c1 = confidences[n + 1], c2 = confidences[n + 2], c3 = confidences[n + 3]
            let w0 = c0 - 1, w1 = c1 - 1, w2 = c2 - 1, w3 = c3 - 1
            // Row j of the sum, over the 16-aligned prefix of columns that holds the diagonal.
            for j in 0..<k {
                VectorKernels.axpy4(w0 * v0[j], v0, w1 * v1[j], v1, w2 * v2[j], v2, w3 * v3[j], v3, a + j * s, (j | 15) + 1)
            }
            VectorKernels.axpy4(c0, v0, c1, v1, c2, v2, c3, v3, b, s)
            n += 4
        }
        while n < count {
            let vn = v + Int(rows[n]) * s, c = confidences[n], w = c - 1
            for j in 0..<k { VectorKernels.axpy(w * vn[j], vn, a + j * s, (j | 15) + 1) }
            VectorKernels.axpy(c, vn, b, s)
            n += 1
        }
        for j in 0..<k {
            for m in 0...j { a[j * s + m] += gram[j * s + m] }
        }
        DenseCholesky.solve(a: a, b: b, into: x, n: k, stride: s)
    }
}
