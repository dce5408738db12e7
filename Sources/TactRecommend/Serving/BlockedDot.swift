/// Dot products of one vector with many, laid out in blocks of 16 vectors, factor-major inside a
/// block ([block][factor][16 lanes]), so 16 products build up in one SIMD16 register with no
/// horizontal sums. `ItemScorer` (the exact scan) and `InnerProductIndex` both score through it, so their scores agree bit for bit.
enum BlockedDot {
    /// Packs rows `rows` of a row-major matrix (`stride` floats per row, first `factors` used) into
    /// blocks at `out`, 16 rows a block; a negative row number leaves its lane zero.
    static func pack(_ source: UnsafePointer<Float>, stride: Int, factors: Int, rows: [Int], into out: UnsafeMutablePointer<Float>) {
        let blockCount = (rows.count + 15) / 16
        out.initialize(repeating: 0, count: blockCount * factors * 16)
        for (n, r) in rows.enumerated() where r >= 0 {
            let block = n / 16, lane = n % 16
            let src = source + r * stride
            let dst = out + block * factors * 16 + lane
            for f in 0..<factors { dst[f * 16] = src[f] }
        }
    }

    /// Writes x · v for every vector of `blockCount` blocks at `blocks` into `out` (16 per block).
    @inline(__always)
    static func scores(_ blocks: UnsafePointer<Float>, blockCount: Int, factors k: Int, x: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>) {
        let base = UnsafeRawPointer(blocks)
        for block in 0..<blockCount {
            let p = base + block * k * 64
            var a0 = SIMD16<Float>(), a1 = SIMD16<Float>(), a2 = SIMD16<Float>(), a3 = SIMD16<Float>()
            var f = 0
            while f + 4 <= k {
                a0 = a0 + p.loadUnaligned(fromByteOffset: f * 64, as: SIMD16<Float>.self) * SIMD16(repeating: x[f])
                a1 = a1 + p.loadUnaligned(fromByteOffset: (f + 1) * 64, as: SIMD16<Float>.self) * SIMD16(repeating: x[f + 1])
                a2 = a2 + p.loadUnaligned(fromByteOffset: (f + 2) * 64, as: SIMD16<Float>.self) * SIMD16(repeating: x[f + 2])
                a3 = a3 + p.loadUnaligned(fromByteOffset: (f + 3) * 64, as: SIMD16<Float>.self) * SIMD16(repeating: x[f + 3])
                f += 4
            }
            while f < k {
                a0 = a0 + p.loadUnaligned(fromByteOffset: f * 64, as: SIMD16<Float>.self) * SIMD16(repeating: x[f])
                f += 1
            }
            UnsafeMutableRawPointer(out + block * 16).storeBytes(of: (a0 + a1) + (a2 + a3), as: SIMD16<Float>.self)
        }
    }
}
