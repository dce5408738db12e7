import Foundation
import TactRecommend

/// Reads the factors the Spark driver writes: a 128-byte header, a JSON object padded with spaces
/// and ending in a newline (`{"format": "tact-spark-factors", "version": 1, "rank": R, "rows": N}`),
/// then N records of a little-endian int32 row id and R little-endian float32 factors.
/// Rows Spark did not learn (people or items with no cells in what it was given) stay zero vectors.
enum SparkFactorsFile {
    static let headerBytes = 128

    struct Header: Decodable {
        var format: String
        var version: Int
        var rank: Int
        var rows: Int
    }

    /// The factors for `rows` rows of `rank` factors, and how many rows the file held.
    static func read(path: String, rows: Int, rank: Int) throws -> (factors: FactorMatrix, learned: Int) {
        func bad(_ reason: String) -> SparkError { .badFactors(file: path, reason: reason) }
        guard let data = FileManager.default.contents(atPath: path) else { throw bad("the file is missing or unreadable") }
        return try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            guard raw.count >= headerBytes, raw[headerBytes - 1] == UInt8(ascii: "\n") else {
                throw bad("it does not start with a \(headerBytes)-byte header line")
            }
            let header: Header
            do { header = try JSONDecoder().decode(Header.self, from: Data(raw[0..<(headerBytes - 1)])) } catch {
                throw bad("its header is not the expected JSON object")
            }
            guard header.format == "tact-spark-factors", header.version == 1 else {
                throw bad("format '\(header.format)' version \(header.version), expected 'tact-spark-factors' version 1")
            }
            guard header.rank == rank else { throw bad("\(header.rank) factors per row, expected \(rank)") }
            guard header.rows >= 0, header.rows <= rows else { throw bad("\(header.rows) rows, but the matrix has \(rows)") }
            let recordBytes = 4 + 4 * rank
            guard raw.count - headerBytes == header.rows * recordBytes else {
                throw bad("\(raw.count - headerBytes) bytes of records, expected \(header.rows) × \(recordBytes) (truncated or corrupt)")
            }
            var factors = FactorMatrix(rows: rows, factors: rank)
            var seen = [Bool](repeating: false, count: rows)
            for record in 0..<header.rows {
                let start = headerBytes + record * recordBytes
                let id = Int(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: start, as: Int32.self)))
                guard id >= 0, id < rows else { throw bad("record \(record) is for row \(id), outside 0..<\(rows)") }
                guard !seen[id] else { throw bad("row \(id) appears twice") }
                seen[id] = true
                for f in 0..<rank {
                    let bits = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: start + 4 + 4 * f, as: UInt32.self))
                    let value = Float(bitPattern: bits)
                    guard value.isFinite else { throw bad("row \(id) has a factor that is not a finite number") }
                    factors.storage[id * factors.stride + f] = value
                }
            }
            return (factors, header.rows)
        }
    }
}
