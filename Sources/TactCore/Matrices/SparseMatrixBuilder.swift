/// Builds a CSR matrix from coordinate lists (one entry per event) with little memory:
/// a counting sort by row into place, then each row sorted by column with repeated cells merged
/// (values summed, the latest timestamp kept). Peak memory is the input plus one copy.
public enum SparseMatrixBuilder {
    public static func build(
        rows: Int, columns: Int, rowIndices: [Int32], columnIndices: [Int32], values: [Float],
        timestamps: [Int64]? = nil
    ) -> (matrix: SparseMatrix, timestamps: [Int64]?) {
        let n = rowIndices.count
        precondition(columnIndices.count == n && values.count == n && (timestamps?.count ?? n) == n)
        var start = [Int](repeating: 0, count: rows + 1)
        for r in rowIndices { start[Int(r) + 1] += 1 }
        for r in 0..<rows { start[r + 1] += start[r] }
        var next = start
        var cols = [Int32](repeating: 0, count: n)
        var vals = [Float](repeating: 0, count: n)
        var times: [Int64]? = timestamps.map { _ in [Int64](repeating: 0, count: n) }
        for e in 0..<n {
            let r = Int(rowIndices[e])
            let at = next[r]
            next[r] += 1
            cols[at] = columnIndices[e]
            vals[at] = values[e]
            if let timestamps { times![at] = timestamps[e] }
        }
        // Sort each row by column, merge repeats, and compact towards the front.
        var write = 0
        var rowStart = [Int](repeating: 0, count: rows + 1)
        var scratch: [(column: Int32, value: Float, time: Int64)] = []
        for r in 0..<rows {
            scratch.removeAll(keepingCapacity: true)
            for at in start[r]..<start[r + 1] { scratch.append((cols[at], vals[at], times?[at] ?? 0)) }
            scratch.sort { $0.column < $1.column }
            let rowBegin = write
            for entry in scratch {
                if write > rowBegin, cols[write - 1] == entry.column {
                    vals[write - 1] += entry.value
                    if times != nil { times![write - 1] = max(times![write - 1], entry.time) }
                } else {
                    cols[write] = entry.column
                    vals[write] = entry.value
                    if times != nil { times![write] = entry.time }
                    write += 1
                }
            }
            rowStart[r + 1] = write
        }
        cols.removeLast(n - write)
        vals.removeLast(n - write)
        times?.removeLast(n - write)
        return (SparseMatrix(rows: rows, columns: columns, rowStart: rowStart, indices: cols, values: vals), times)
    }

    /// The same matrix without the cells whose value is not positive.
    public static func positiveOnly(_ m: SparseMatrix, timestamps: [Int64]?) -> (matrix: SparseMatrix, timestamps: [Int64]?) {
        guard m.values.contains(where: { $0 <= 0 }) else { return (m, timestamps) }
        var rowStart = [Int](repeating: 0, count: m.rows + 1)
        var cols: [Int32] = [], vals: [Float] = [], times: [Int64]? = timestamps == nil ? nil : []
        cols.reserveCapacity(m.nonZeros)
        vals.reserveCapacity(m.nonZeros)
        for r in 0..<m.rows {
            for at in m.rowStart[r]..<m.rowStart[r + 1] where m.values[at] > 0 {
                cols.append(m.indices[at])
                vals.append(m.values[at])
                times?.append(timestamps![at])
            }
            rowStart[r + 1] = cols.count
        }
        return (SparseMatrix(rows: m.rows, columns: m.columns, rowStart: rowStart, indices: cols, values: vals), times)
    }
}
