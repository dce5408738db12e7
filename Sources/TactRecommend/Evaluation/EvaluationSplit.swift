import TactCore

/// Ways to divide an interaction matrix into a train and a test matrix of the same shape, per user (row).
/// Every stored cell goes to exactly one side, with its value.
public enum EvaluationSplit {
    /// Each user's interactions: a seeded random `testFraction` of them (rounded down, at least 1 when the user has at least 2) go to test, the rest to train.
    public static func randomPerUser(_ matrix: SparseMatrix, testFraction: Double, seed: UInt64) -> (train: SparseMatrix, test: SparseMatrix) {
        precondition(testFraction > 0 && testFraction < 1, "testFraction must be in (0, 1)")
        var generator = SplitMix64(seed: seed)
        return divide(matrix) { r in
            let count = matrix.count(ofRow: r)
            // At least one to test and one to train when the user has two or more.
            let held = count >= 2 ? min(count - 1, max(1, Int((Double(count) * testFraction).rounded(.down)))) : 0
            return pick(held, of: count, with: &generator)
        }
    }

    /// Microsoft Recommenders' `python_stratified_split` with ratios (1 − `testFraction`, `testFraction`):
    /// each user's interactions are shuffled (seeded) and the first round((1 − `testFraction`) · n) go to
    /// train, rounded half to even as Python's `round` does, the rest to test. So a user with 22 items
    /// keeps 16 and holds out 6 at 0.25, and one with 1 or 2 items holds out none. The shuffle is Tact's
    /// own (SplitMix64), so the split has that protocol and shape, not numpy's exact rows.
    public static func stratified(_ matrix: SparseMatrix, testFraction: Double, seed: UInt64) -> (train: SparseMatrix, test: SparseMatrix) {
        precondition(testFraction > 0 && testFraction < 1, "testFraction must be in (0, 1)")
        var generator = SplitMix64(seed: seed)
        return divide(matrix) { r in
            let count = matrix.count(ofRow: r)
            let kept = Int((Double(count) * (1 - testFraction)).rounded(.toNearestOrEven))
            return pick(count - min(count, kept), of: count, with: &generator)
        }
    }

    /// `held` of a row's `count` positions, chosen by a partial Fisher–Yates shuffle (the first `held`
    /// shuffled positions), marked true.
    private static func pick(_ held: Int, of count: Int, with generator: inout SplitMix64) -> [Bool] {
        var order = Array(0..<count)
        for i in 0..<held {
            let j = i + Int(generator.next(below: UInt64(count - i)))
            order.swapAt(i, j)
        }
        var isTest = [Bool](repeating: false, count: count)
        for p in order[0..<held] { isTest[p] = true }
        return isTest
    }

    /// Each user's last `n` interactions by time go to test (users with n or fewer interactions stay wholly in train). `timestamps` is parallel to `matrix.values`.
    public static func leaveLastN(_ matrix: SparseMatrix, timestamps: [Int64], n: Int) -> (train: SparseMatrix, test: SparseMatrix) {
        precondition(n >= 1, "n must be at least 1")
        precondition(timestamps.count == matrix.nonZeros, "one timestamp per stored cell")
        return divide(matrix) { r in
            let start = matrix.rowStart[r], count = matrix.count(ofRow: r)
            var isTest = [Bool](repeating: false, count: count)
            guard count > n else { return isTest }
            // Oldest first; equal times order by column, so the higher column counts as later.
            let byTime = (0..<count).sorted { a, b in
                let ta = timestamps[start + a], tb = timestamps[start + b]
                return ta != tb ? ta < tb : matrix.indices[start + a] < matrix.indices[start + b]
            }
            for p in byTime.suffix(n) { isTest[p] = true }
            return isTest
        }
    }

    /// Builds train and test from `isTest(row)`, one flag per stored cell of the row, in storage order.
    private static func divide(_ matrix: SparseMatrix, isTest: (Int) -> [Bool]) -> (train: SparseMatrix, test: SparseMatrix) {
        var train = RowBuilder(), test = RowBuilder()
        for r in 0..<matrix.rows {
            let flags = isTest(r)
            for (offset, position) in (matrix.rowStart[r]..<matrix.rowStart[r + 1]).enumerated() {
                if flags[offset] {
                    test.append(matrix.indices[position], matrix.values[position])
                } else {
                    train.append(matrix.indices[position], matrix.values[position])
                }
            }
            train.endRow()
            test.endRow()
        }
        return (train.matrix(rows: matrix.rows, columns: matrix.columns), test.matrix(rows: matrix.rows, columns: matrix.columns))
    }
}

/// Accumulates CSR rows in order.
private struct RowBuilder {
    var rowStart = [0]
    var indices: [Int32] = []
    var values: [Float] = []

    mutating func append(_ column: Int32, _ value: Float) {
        indices.append(column)
        values.append(value)
    }

    mutating func endRow() { rowStart.append(indices.count) }

    func matrix(rows: Int, columns: Int) -> SparseMatrix {
        SparseMatrix(rows: rows, columns: columns, rowStart: rowStart, indices: indices, values: values)
    }
}
