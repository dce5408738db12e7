import Foundation
import TactCore
import TactRecommend

/// The training matrix as Parquet for Spark: one row per stored cell, `user` and `item` the cell's
/// matrix row and column (never a pseudonym or an id: those stay in Tact), `rating` its strength.
/// The matrix given is what `tact train` would train on, so whoever Tact leaves out (no consent,
/// restricted, erased) is not in it.
enum SparkTrainingExport {
    static let fields = [ParquetField("user", .int32), ParquetField("item", .int32), ParquetField("rating", .float)]

    /// Writes `matrix` to `path`, at most `rowsPerGroup` rows per row group; returns the rows written.
    /// Ratings are chosen so that Spark's confidence, 1 + alpha·rating, is the one Tact's configuration gives.
    @discardableResult
    static func write(_ matrix: SparseMatrix, confidence: ALSConfiguration.Confidence, to path: String, rowsPerGroup: Int = 1 << 20) throws -> Int {
        precondition(rowsPerGroup > 0)
        let writer = try ParquetWriter(path: path, fields: fields)
        var users: [Int32] = [], items: [Int32] = [], ratings: [Float] = []
        users.reserveCapacity(min(rowsPerGroup, matrix.nonZeros))
        func flush() throws {
            try writer.writeRowGroup([.int32(users), .int32(items), .float(ratings)])
            users.removeAll(keepingCapacity: true)
            items.removeAll(keepingCapacity: true)
            ratings.removeAll(keepingCapacity: true)
        }
        for row in 0..<matrix.rows {
            for n in matrix.rowStart[row]..<matrix.rowStart[row + 1] {
                users.append(Int32(row))
                items.append(matrix.indices[n])
                ratings.append(rating(matrix.values[n], confidence: confidence))
                if users.count == rowsPerGroup { try flush() }
            }
        }
        if !users.isEmpty { try flush() }
        try writer.close()
        return matrix.nonZeros
    }

    /// Spark's implicit ALS weighs a cell by 1 + alpha·|rating|; Tact by 1 + alpha·value (linear) or
    /// 1 + alpha·log(1 + value/epsilon) (log). So the rating is the value, or its log transform.
    static func rating(_ value: Float, confidence: ALSConfiguration.Confidence) -> Float {
        switch confidence {
        case .linear: value
        case .logarithmic(let epsilon): log1pf(value / epsilon)
        }
    }
}
