import TactCore
import TactPrivacy

/// User-level contribution bounding, the step every user-level DP release starts from: each person
/// (matrix row) keeps at most `maxItems` of their items, so adding or removing one person changes at
/// most that many item statistics. Which items are kept depends only on that person's own row and the
/// release's secret key (a stream of their own, see `ContributionKey`), never on anyone else's data or
/// on where their row is, so the bound holds for every neighbouring dataset. A row is its column
/// indices, so this needs columns numbered independently of the data: every release from a data
/// directory runs over the `ReleaseUniverse` (the registered catalog sorted by id, in TactEngine), so a
/// person's row, and with it their key and sample, is the same whoever else is in the data.
public enum ContributionBound {
    /// Each row keeps a uniform sample of at most `maxItems` of its cells (all of them when it has
    /// fewer), in column order, with their values and, when given, their timestamps. A row's sample is
    /// drawn from its own stream, `key.generator(for:)` of the row's items, so it depends only on that
    /// person's own row and the release's key: removing or adding anyone else changes nothing in it.
    public static func sample(_ matrix: SparseMatrix, timestamps: [Int64]? = nil, maxItems: Int, key: ContributionKey) -> (
        matrix: SparseMatrix, timestamps: [Int64]?
    ) {
        keep(matrix, timestamps: timestamps, maxItems: maxItems) { start, count in
            var random = key.generator(for: identity(matrix.indices[start..<(start + count)]))
            // A partial Fisher–Yates shuffle: the first maxItems positions are a uniform sample.
            var order = Array(start..<(start + count))
            for i in 0..<maxItems { order.swapAt(i, i + Int.random(in: 0..<(count - i), using: &random)) }
            return order[0..<maxItems].sorted()
        }
    }

    /// A row's identity for its stream: its items (ascending, as stored), as little-endian bytes.
    static func identity(_ items: ArraySlice<Int32>) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(4 * items.count)
        for i in items { withUnsafeBytes(of: i.littleEndian) { bytes.append(contentsOf: $0) } }
        return bytes
    }

    /// Each row keeps its `maxItems` latest cells by timestamp (ties: the higher column), for
    /// statistics about what is recent, such as trending.
    public static func latest(_ matrix: SparseMatrix, timestamps: [Int64], maxItems: Int) -> (matrix: SparseMatrix, timestamps: [Int64]?) {
        precondition(timestamps.count == matrix.nonZeros, "one timestamp per stored cell")
        return keep(matrix, timestamps: timestamps, maxItems: maxItems) { start, count in
            let byTime = (start..<(start + count)).sorted { a, b in
                timestamps[a] != timestamps[b] ? timestamps[a] > timestamps[b] : matrix.indices[a] > matrix.indices[b]
            }
            return byTime[0..<maxItems].sorted()
        }
    }

    /// The most cells any row holds: what a bound must be checked against.
    public static func largestRow(_ matrix: SparseMatrix) -> Int {
        (0..<matrix.rows).reduce(0) { max($0, matrix.count(ofRow: $1)) }
    }

    /// Builds the bounded matrix; `choose(start, count)` picks positions (ascending) for rows longer than the bound.
    private static func keep(
        _ matrix: SparseMatrix, timestamps: [Int64]?, maxItems: Int,
        choose: (_ start: Int, _ count: Int) -> [Int]
    ) -> (matrix: SparseMatrix, timestamps: [Int64]?) {
        precondition(maxItems >= 1, "a person must be allowed at least one item")
        var rowStart = [0], indices: [Int32] = [], values: [Float] = [], times: [Int64] = []
        for r in 0..<matrix.rows {
            let start = matrix.rowStart[r], count = matrix.count(ofRow: r)
            let positions = count <= maxItems ? Array(start..<(start + count)) : choose(start, count)
            for p in positions {
                indices.append(matrix.indices[p])
                values.append(matrix.values[p])
                if let timestamps { times.append(timestamps[p]) }
            }
            rowStart.append(indices.count)
        }
        let bounded = SparseMatrix(rows: matrix.rows, columns: matrix.columns, rowStart: rowStart, indices: indices, values: values)
        return (bounded, timestamps == nil ? nil : times)
    }
}
