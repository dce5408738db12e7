/// Eigen-decomposition of a small symmetric matrix by the cyclic Jacobi method, in Double:
/// A = Q Λ Qᵀ with Q orthogonal. Used to make YᵀY + λI diagonal before a half-step of ALS.
enum SymmetricEigen {
    /// `a` is n×n row-major with row length `stride`. Returns the eigenvalues and Q (n×n, row-major
    /// with row length `stride`, zero-padded), whose column j is the eigenvector of eigenvalue j.
    static func decompose(_ a: [Float], n: Int, stride s: Int) -> (values: [Float], vectors: [Float]) {
        var m = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0..<n { m[i * n + j] = Double(a[i * s + j]) } }
        var v = [Double](repeating: 0, count: n * n)
        for i in 0..<n { v[i * n + i] = 1 }
        var norm = 0.0
        for x in m { norm += x * x }
        for _ in 0..<60 {
            var off = 0.0
            for i in 0..<n { for j in (i + 1)..<max(n, i + 1) { off += m[i * n + j] * m[i * n + j] } }
            if off <= 1e-22 * norm { break }
            for p in 0..<n {
                for q in (p + 1)..<max(n, p + 1) {
                    let apq = m[p * n + q]
                    if abs(apq) < 1e-300 { continue }
                    let theta = (m[q * n + q] - m[p * n + p]) / (2 * apq)
                    let t = (theta >= 0 ? 1 : -1) / (abs(theta) + (theta * theta + 1).squareRoot())
                    let c = 1 / (t * t + 1).squareRoot(), sn = t * c
                    // Rotate rows and columns p and q of m, and columns p and q of v.
                    for k in 0..<n {
                        let mkp = m[k * n + p], mkq = m[k * n + q]
                        m[k * n + p] = c * mkp - sn * mkq
                        m[k * n + q] = sn * mkp + c * mkq
                    }
                    for k in 0..<n {
                        let mpk = m[p * n + k], mqk = m[q * n + k]
                        m[p * n + k] = c * mpk - sn * mqk
                        m[q * n + k] = sn * mpk + c * mqk
                    }
                    for k in 0..<n {
                        let vkp = v[k * n + p], vkq = v[k * n + q]
                        v[k * n + p] = c * vkp - sn * vkq
                        v[k * n + q] = sn * vkp + c * vkq
                    }
                }
            }
        }
        var values = [Float](repeating: 0, count: s)
        var vectors = [Float](repeating: 0, count: s * s)
        for i in 0..<n {
            values[i] = Float(m[i * n + i])
            for j in 0..<n { vectors[i * s + j] = Float(v[i * n + j]) }
        }
        return (values, vectors)
    }

    /// Replaces every row x of `f` by Qᵀx (the same vector in the eigenvector basis).
    static func rotate(_ f: inout FactorMatrix, by q: [Float], threads: Int) {
        let s = f.stride, k = f.factors
        f.storage.withUnsafeMutableBufferPointer { fs in
            q.withUnsafeBufferPointer { qs in
                let fp = SharedPointer(base: fs.baseAddress!)
                let qp = SharedPointer(base: UnsafeMutablePointer(mutating: qs.baseAddress!))
                parallelChunks(count: f.rows, chunkSize: 1024, threads: threads) { range in
                    let tmp = UnsafeMutablePointer<Float>.allocate(capacity: s)
                    defer { tmp.deallocate() }
                    for r in range {
                        let row = fp.base + r * s
                        // Σ_i x_i · (row i of Q) = Qᵀx.
                        VectorKernels.symmetricMultiply(qp.base, row, tmp, s, factors: k)
                        row.update(from: tmp, count: s)
                    }
                }
            }
        }
    }
}
