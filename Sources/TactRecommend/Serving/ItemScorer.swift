/// Scores every item against one vector, fast: the item factors are kept a second time in blocks
/// of 16 items, factor-major inside a block (`BlockedDot`), so 16 scores build up in one SIMD16
/// register with no horizontal sums, and four partial sums per block keep the adds independent.
struct ItemScorer: Sendable {
    let items: Int
    let factors: Int
    /// [block][factor][16 items]; the last block is padded with zero items.
    let blocks: [Float]

    init(_ y: FactorMatrix) {
        items = y.rows
        factors = y.factors
        let blockCount = (y.rows + 15) / 16
        blocks = [Float](unsafeUninitializedCapacity: blockCount * y.factors * 16) { buffer, count in
            y.storage.withUnsafeBufferPointer { source in
                BlockedDot.pack(source.baseAddress!, stride: y.stride, factors: y.factors, rows: Array(0..<y.rows), into: buffer.baseAddress!)
            }
            count = blockCount * y.factors * 16
        }
    }

    /// Writes the score of every item for `x` (at least `factors` floats) into `out` (at least `items` rounded up to 16).
    func scores(_ x: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>) {
        blocks.withUnsafeBufferPointer { bp in
            BlockedDot.scores(bp.baseAddress!, blockCount: (items + 15) / 16, factors: factors, x: x, into: out)
        }
    }
}
