/// YᵀY (+ λI on the diagonal): the k×k Gram matrix of a factor matrix, stored `stride`×`stride`.
enum GramMatrix {
    static let chunkRows = 2048

    static func compute(_ y: FactorMatrix, regularization: Float, threads: Int) -> [Float] {
        let s = y.stride, k = y.factors
        let chunks = (y.rows + chunkRows - 1) / chunkRows
        var partials = [Float](repeating: 0, count: max(chunks, 1) * s * s)
        y.storage.withUnsafeBufferPointer { ys in
            partials.withUnsafeMutableBufferPointer { ps in
                let yp = SharedPointer(base: UnsafeMutablePointer(mutating: ys.baseAddress!))
                let pp = SharedPointer(base: ps.baseAddress!)
                parallelChunks(count: y.rows, chunkSize: chunkRows, threads: threads) { range in
                    let g = pp.base + (range.lowerBound / chunkRows) * s * s
                    // Four rows at a time, so each row of G is loaded and stored once per four updates.
                    var r = range.lowerBound
                    while r + 4 <= range.upperBound {
                        let r0 = yp.base + r * s, r1 = r0 + s, r2 = r1 + s, r3 = r2 + s
                        for j in 0..<k {
                            let c0 = j & ~15
                            VectorKernels.axpy4(r0[j], r0 + c0, r1[j], r1 + c0, r2[j], r2 + c0, r3[j], r3 + c0, g + j * s + c0, s - c0)
                        }
                        r += 4
                    }
                    while r < range.upperBound {
                        let row = yp.base + r * s
                        // Upper triangle only (from the 16-aligned block holding the diagonal); mirrored below.
                        for j in 0..<k where row[j] != 0 {
                            let c0 = j & ~15
                            VectorKernels.axpy(row[j], row + c0, g + j * s + c0, s - c0)
                        }
                        r += 1
                    }
                }
            }
        }
        // Sum the chunk partials in chunk order (deterministic), then regularize.
        var g = [Float](repeating: 0, count: s * s)
        for c in 0..<chunks {
            for i in 0..<(s * s) { g[i] += partials[c * s * s + i] }
        }
        for i in 0..<k { for j in 0..<i { g[i * s + j] = g[j * s + i] } }
        for j in 0..<k { g[j * s + j] += regularization }
        return g
    }
}
