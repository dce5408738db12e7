/// A compressed sparse row (CSR) matrix of Float32 values: row `r` holds the column indices
/// `indices[rowStart[r]..<rowStart[r + 1]]` (ascending) and their `values`.
/// The transpose of a CSR matrix is its compressed sparse column (CSC) form.
public struct SparseMatrix: Sendable, Equatable {
    public let rows: Int
    public let columns: Int
    /// `rows + 1` offsets into `indices` and `values`.
    public let rowStart: [Int]
    public let indices: [Int32]
    public let values: [Float]

    public var nonZeros: Int { indices.count }

    public init(rows: Int, columns: Int, rowStart: [Int], indices: [Int32], values: [Float]) {
        precondition(rowStart.count == rows + 1 && indices.count == values.count && rowStart.last == indices.count)
        self.rows = rows
        self.columns = columns
        self.rowStart = rowStart
        self.indices = indices
        self.values = values
    }

    /// Builds a matrix from (row, column, value) triplets; repeated cells are summed.
    public init(rows: Int, columns: Int, triplets: [(row: Int32, column: Int32, value: Float)]) {
        self =
            SparseMatrixBuilder.build(
                rows: rows, columns: columns, rowIndices: triplets.map(\.row),
                columnIndices: triplets.map(\.column), values: triplets.map(\.value)
            ).matrix
    }

    /// The column indices and values of one row.
    @inlinable
    public func row(_ r: Int) -> (indices: ArraySlice<Int32>, values: ArraySlice<Float>) {
        let range = rowStart[r]..<rowStart[r + 1]
        return (indices[range], values[range])
    }

    public func count(ofRow r: Int) -> Int { rowStart[r + 1] - rowStart[r] }

    /// The transpose (columns become rows), with each row's indices ascending.
    public func transposed() -> SparseMatrix {
        var counts = [Int](repeating: 0, count: columns + 1)
        for c in indices { counts[Int(c) + 1] += 1 }
        for c in 0..<columns { counts[c + 1] += counts[c] }
        var next = counts
        var outIdx = [Int32](repeating: 0, count: nonZeros)
        var outVal = [Float](repeating: 0, count: nonZeros)
        for r in 0..<rows {
            for k in rowStart[r]..<rowStart[r + 1] {
                let c = Int(indices[k])
                outIdx[next[c]] = Int32(r)
                outVal[next[c]] = values[k]
                next[c] += 1
            }
        }
        return SparseMatrix(rows: columns, columns: rows, rowStart: counts, indices: outIdx, values: outVal)
    }

    /// The same pattern with every value replaced by `transform(value)`.
    public func mapValues(_ transform: (Float) -> Float) -> SparseMatrix {
        SparseMatrix(rows: rows, columns: columns, rowStart: rowStart, indices: indices, values: values.map(transform))
    }

    /// The value at (r, c), 0 when the cell is empty.
    public func value(row r: Int, column c: Int) -> Float {
        let (idx, vals) = row(r)
        guard let i = idx.firstIndex(of: Int32(c)) else { return 0 }
        return vals[i]
    }
}
