/// Solves A x = b for a symmetric positive definite n×n matrix (row-major, row length `stride`),
/// in place: A is overwritten by its Cholesky factor. Accumulates in Double.
enum DenseCholesky {
    /// Returns false (leaving x unchanged) if A is not positive definite.
    @discardableResult
    static func solve(a: UnsafeMutablePointer<Float>, b: UnsafePointer<Float>, into x: UnsafeMutablePointer<Float>, n: Int, stride s: Int) -> Bool {
        // A = L Lᵀ, L stored in the lower triangle of a.
        for j in 0..<n {
            var d = Double(a[j * s + j])
            for m in 0..<j { d -= Double(a[j * s + m]) * Double(a[j * s + m]) }
            if d <= 0 { return false }
            let ljj = d.squareRoot()
            a[j * s + j] = Float(ljj)
            for i in (j + 1)..<max(n, j + 1) {
                var v = Double(a[i * s + j])
                for m in 0..<j { v -= Double(a[i * s + m]) * Double(a[j * s + m]) }
                a[i * s + j] = Float(v / ljj)
            }
        }
        // L z = b, then Lᵀ x = z.
        var z = [Double](repeating: 0, count: n)
        for i in 0..<n {
            var v = Double(b[i])
            for m in 0..<i { v -= Double(a[i * s + m]) * z[m] }
            z[i] = v / Double(a[i * s + i])
        }
        var w = [Double](repeating: 0, count: n)
        for i in stride(from: n - 1, through: 0, by: -1) {
            var v = z[i]
            for m in (i + 1)..<max(n, i + 1) { v -= Double(a[m * s + i]) * w[m] }
            w[i] = v / Double(a[i * s + i])
        }
        for i in 0..<n { x[i] = Float(w[i]) }
        for i in n..<s { x[i] = 0 }
        return true
    }
}
