import Foundation

/// A column of a flat Parquet schema: a name and a physical type; every row has a value (REQUIRED).
public struct ParquetField: Sendable, Equatable {
    /// Parquet's physical types (`parquet.thrift`'s `Type`), those Tact writes.
    public enum PhysicalType: Int32, Sendable {
        case int32 = 1, int64 = 2, float = 4, double = 5
    }

    public var name: String
    public var type: PhysicalType

    public init(_ name: String, _ type: PhysicalType) {
        self.name = name
        self.type = type
    }
}

/// The values of one column in one row group.
public enum ParquetColumnValues: Sendable {
    case int32([Int32]), int64([Int64]), float([Float]), double([Double])

    var type: ParquetField.PhysicalType {
        switch self {
        case .int32: .int32
        case .int64: .int64
        case .float: .float
        case .double: .double
        }
    }

    var count: Int {
        switch self {
        case .int32(let v): v.count
        case .int64(let v): v.count
        case .float(let v): v.count
        case .double(let v): v.count
        }
    }

    /// PLAIN encoding of values `range`: little-endian, back to back.
    func plain(_ range: Range<Int>) -> [UInt8] {
        var out: [UInt8] = []
        switch self {
        case .int32(let v):
            out.reserveCapacity(range.count * 4)
            for x in v[range] { withUnsafeBytes(of: x.littleEndian) { out.append(contentsOf: $0) } }
        case .int64(let v):
            out.reserveCapacity(range.count * 8)
            for x in v[range] { withUnsafeBytes(of: x.littleEndian) { out.append(contentsOf: $0) } }
        case .float(let v):
            out.reserveCapacity(range.count * 4)
            for x in v[range] { withUnsafeBytes(of: x.bitPattern.littleEndian) { out.append(contentsOf: $0) } }
        case .double(let v):
            out.reserveCapacity(range.count * 8)
            for x in v[range] { withUnsafeBytes(of: x.bitPattern.littleEndian) { out.append(contentsOf: $0) } }
        }
        return out
    }
}

/// What went wrong writing a Parquet file.
public enum ParquetWriterError: Error, CustomStringConvertible, Equatable {
    case columnCount(expected: Int, got: Int)
    case columnType(column: String, expected: ParquetField.PhysicalType, got: ParquetField.PhysicalType)
    case columnLength(column: String, expected: Int, got: Int)
    case closed
    case io(path: String, reason: String)

    public var description: String {
        switch self {
        case .columnCount(let e, let g): "a Parquet row group needs \(e) columns, one per field; got \(g)"
        case .columnType(let c, let e, let g): "Parquet column '\(c)' is \(e), but the row group gave \(g) values"
        case .columnLength(let c, let e, let g): "Parquet column '\(c)' has \(g) values where the row group has \(e) rows"
        case .closed: "the Parquet file is already closed"
        case .io(let p, let r): "cannot write the Parquet file \(p): \(r)"
        }
    }
}

/// Writes a Parquet file with a flat schema of REQUIRED columns, PLAIN-encoded and UNCOMPRESSED:
/// `PAR1`, the row groups (each column a chunk of data pages), the footer, its length, `PAR1`.
/// Readers (Spark, pyarrow) need nothing else. The file is created with mode 0600.
public final class ParquetWriter {
    public let path: String
    public let fields: [ParquetField]
    /// The most values one data page holds; a column chunk longer than that is split into pages.
    public let maxPageValues: Int
    private var handle: FileHandle?
    private var offset: Int64 = 0
    private var rowGroups: [ParquetMetadata.RowGroup] = []

    static let magic: [UInt8] = Array("PAR1".utf8)
    static let createdBy = "tact version 1.0.0 (build tact)"

    public init(path: String, fields: [ParquetField], maxPageValues: Int = 1 << 17) throws {
        precondition(!fields.isEmpty && maxPageValues > 0)
        self.path = path
        self.fields = fields
        self.maxPageValues = maxPageValues
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]),
            let handle = FileHandle(forWritingAtPath: path)
        else {
            throw ParquetWriterError.io(path: path, reason: "cannot create the file (does its folder exist and allow writing?)")
        }
        self.handle = handle
        try write(Self.magic)
    }

    deinit { try? handle?.close() }

    /// Appends one row group: one array per field, in the fields' order, all of the same length.
    public func writeRowGroup(_ columns: [ParquetColumnValues]) throws {
        guard handle != nil else { throw ParquetWriterError.closed }
        guard columns.count == fields.count else { throw ParquetWriterError.columnCount(expected: fields.count, got: columns.count) }
        let rows = columns[0].count
        for (field, column) in zip(fields, columns) {
            guard column.type == field.type else { throw ParquetWriterError.columnType(column: field.name, expected: field.type, got: column.type) }
            guard column.count == rows else { throw ParquetWriterError.columnLength(column: field.name, expected: rows, got: column.count) }
        }
        guard rows > 0 else { return }
        let groupOffset = offset
        var chunks: [ParquetMetadata.ColumnChunk] = []
        for (field, column) in zip(fields, columns) {
            let start = offset
            for pageStart in stride(from: 0, to: rows, by: maxPageValues) {
                let range = pageStart..<min(pageStart + maxPageValues, rows)
                let values = column.plain(range)
                guard values.count <= Int(Int32.max) else { throw ParquetWriterError.io(path: path, reason: "a data page over 2 GiB; use smaller pages") }
                try write(ParquetMetadata.dataPageHeader(values: Int32(range.count), bytes: Int32(values.count)))
                try write(values)
            }
            chunks.append(ParquetMetadata.ColumnChunk(field: field, values: Int64(rows), bytes: offset - start, firstPageOffset: start))
        }
        rowGroups.append(ParquetMetadata.RowGroup(rows: Int64(rows), columns: chunks, offset: groupOffset))
    }

    /// Writes the footer and closes the file. Without it the file is not valid Parquet.
    public func close() throws {
        guard let handle else { throw ParquetWriterError.closed }
        let footer = ParquetMetadata.fileMetaData(fields: fields, rowGroups: rowGroups, createdBy: Self.createdBy)
        try write(footer)
        try write(withUnsafeBytes(of: UInt32(footer.count).littleEndian) { Array($0) })
        try write(Self.magic)
        do { try handle.close() } catch { throw ParquetWriterError.io(path: path, reason: "\(error)") }
        self.handle = nil
    }

    private func write(_ bytes: [UInt8]) throws {
        guard let handle else { throw ParquetWriterError.closed }
        do { try handle.write(contentsOf: bytes) } catch { throw ParquetWriterError.io(path: path, reason: "\(error)") }
        offset += Int64(bytes.count)
    }
}
