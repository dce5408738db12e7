/// Scores every item against one vector, fast: the item factors are kept a second time in blocks
/// of 16 items, factor-major inside a block, so 16 scores build up in one SIMD16 register with no
/// horizontal sums, and four partial sums per block keep the adds independent.
struct ItemScorer: Sendable {
    let items: Int
    let factors: Int
    /// [block][factor][16 items]; the last block is padded with zero items.
    let blocks: [Float]

    init(_ y: FactorMatrix) {
        items = y.rows
        factors = y.factors
        let blockCount = (y.rows + 15) / 16
        var b = [Float](repeating: 0, count: blockCount * y.factors * 16)
        for i in 0..<y.rows {
            let block = i / 16, lane = i % 16
            for f in 0..<y.factors { b[(block * y.factors + f) * 16 + lane] = y.storage[i * y.stride + f] }
        }
        blocks = b
    }

    /// Writes the score of every item for `x` (at least `factors` floats) into `out` (at least `items` rounded up to 16).
    func scores(_ x: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>) {
        let k = factors
        blocks.withUnsafeBufferPointer { bp in
            let base = UnsafeRawPointer(bp.baseAddress!)
            let blockCount = (items + 15) / 16
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
}
