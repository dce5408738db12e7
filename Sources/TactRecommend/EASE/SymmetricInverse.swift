import Foundation

/// Inverts a symmetric positive definite n×n matrix in place by Gauss–Jordan elimination without
/// pivoting (the pivots of a positive definite matrix are positive). Each pivot's update is a row
/// operation, `row_i -= f · row_k`, over whole rows in SIMD, spread over threads: n³ multiply-adds.
enum SymmetricInverse {
    /// Returns false, with `a` undefined, if a pivot is not positive.
    static func invert(_ a: UnsafeMutablePointer<Float>, n: Int, threads: Int) -> Bool {
        let pivot = UnsafeMutablePointer<Float>.allocate(capacity: n)
        defer { pivot.deallocate() }
        let shared = SharedPointer(base: a), pivotRow = SharedPointer(base: pivot)
        for k in 0..<n {
            let p = a[k * n + k]
            guard p > 0, p.isFinite else { return false }
            // Row k becomes its value divided by the pivot, with 1/p on the diagonal.
            a[k * n + k] = 1
            let inverse = 1 / p
            for j in 0..<n { a[k * n + j] *= inverse }
            pivot.update(from: a + k * n, count: n)
            parallelChunks(count: n, chunkSize: max(16, n / (threads * 4)), threads: threads) { rows in
                for i in rows where i != k {
                    let row = shared.base + i * n
                    let f = row[k]
                    guard f != 0 else { continue }
                    row[k] = 0
                    Self.subtract(f, pivotRow.base, from: row, count: n)
                }
            }
        }
        return true
    }

    /// y -= f · x over `count` floats.
    @inline(__always)
    static func subtract(_ f: Float, _ x: UnsafePointer<Float>, from y: UnsafeMutablePointer<Float>, count: Int) {
        let lanes = count / 16 * 16
        let fv = SIMD16<Float>(repeating: -f)
        var j = 0
        while j < lanes {
            let xv = UnsafeRawPointer(x + j).loadUnaligned(as: SIMD16<Float>.self)
            let yv = UnsafeRawPointer(y + j).loadUnaligned(as: SIMD16<Float>.self)
            UnsafeMutableRawPointer(y + j).storeBytes(of: yv + fv * xv, as: SIMD16<Float>.self)
            j += 16
        }
        while j < count {
            y[j] -= f * x[j]
            j += 1
        }
    }
}
