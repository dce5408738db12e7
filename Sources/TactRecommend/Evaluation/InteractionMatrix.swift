import TactCore

/// A users × items matrix of summed interaction values, with the ids of its rows and columns.
/// Built from a file (for evaluation and benchmarks) or from the store (for training).
public struct InteractionMatrix: Sendable {
    public var matrix: SparseMatrix
    /// Row → user key (a raw id when read from a file, a pseudonym's hex when read from the store).
    public var users: [String]
    /// Column → item id.
    public var items: [String]
    /// Latest timestamp of each cell, parallel to `matrix.values` (empty when not kept).
    public var timestamps: [Int64]

    /// Reads an interaction file, summing values per (user, item) and dropping cells whose sum is not positive.
    /// With `usersAndItemsOf`, rows and columns follow that matrix and unknown ids are skipped (a test file).
    /// Timestamps are kept only when asked for (they cost 8 bytes per event while reading).
    public static func read(_ reader: any InteractionReader, usersAndItemsOf base: InteractionMatrix? = nil, keepTimestamps: Bool = false) throws
        -> InteractionMatrix
    {
        var userIndex: [String: Int32] = [:], itemIndex: [String: Int32] = [:]
        var users: [String] = [], items: [String] = []
        if let base {
            for (i, u) in base.users.enumerated() { userIndex[u] = Int32(i) }
            for (i, it) in base.items.enumerated() { itemIndex[it] = Int32(i) }
            users = base.users
            items = base.items
        }
        // Coordinate lists, one entry per event; repeated cells are merged when the matrix is built.
        var rowIndices: [Int32] = [], columnIndices: [Int32] = [], values: [Float] = [], times: [Int64] = []
        while let e = try reader.next() {
            let u: Int32, i: Int32
            if let known = userIndex[e.user] {
                u = known
            } else {
                if base != nil { continue }
                u = Int32(users.count); userIndex[e.user] = u; users.append(e.user)
            }
            if let known = itemIndex[e.item] {
                i = known
            } else {
                if base != nil { continue }
                i = Int32(items.count); itemIndex[e.item] = i; items.append(e.item)
            }
            rowIndices.append(u)
            columnIndices.append(i)
            values.append(Float(e.value))
            if keepTimestamps { times.append(e.timestamp) }
        }
        userIndex = [:]
        itemIndex = [:]
        return assemble(
            users: users, items: items, rowIndices: rowIndices, columnIndices: columnIndices, values: values,
            timestamps: keepTimestamps ? times : nil)
    }

    /// Builds the matrix from one coordinate entry per event: repeated cells summed (latest time kept),
    /// cells whose sum is not positive dropped.
    public static func assemble(
        users: [String], items: [String], rowIndices: [Int32], columnIndices: [Int32], values: [Float],
        timestamps: [Int64]?
    ) -> InteractionMatrix {
        let built = SparseMatrixBuilder.build(
            rows: users.count, columns: items.count, rowIndices: rowIndices,
            columnIndices: columnIndices, values: values, timestamps: timestamps)
        let positive = SparseMatrixBuilder.positiveOnly(built.matrix, timestamps: built.timestamps)
        return InteractionMatrix(matrix: positive.matrix, users: users, items: items, timestamps: positive.timestamps ?? [])
    }
}
