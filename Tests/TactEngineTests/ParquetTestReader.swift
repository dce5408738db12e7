import Foundation

/// A small, independent reader for the Parquet files Tact writes, to check them in tests: it decodes
/// the Thrift compact protocol generically (field id → value) and walks the footer and the pages.
struct TestReadError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

indirect enum ThriftValue: Equatable {
    case bool(Bool), int(Int64), double(Double), binary([UInt8]), list([ThriftValue]), fields([Int16: ThriftValue])

    var int: Int64? { if case .int(let v) = self { v } else { nil } }
    var string: String? { if case .binary(let b) = self { String(decoding: b, as: UTF8.self) } else { nil } }
    var list: [ThriftValue]? { if case .list(let l) = self { l } else { nil } }
    var fields: [Int16: ThriftValue]? { if case .fields(let f) = self { f } else { nil } }
}

struct ThriftCompactReader {
    let bytes: [UInt8]
    var position: Int

    init(_ bytes: [UInt8], at position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    mutating func byte() throws -> UInt8 {
        guard position < bytes.count else { throw TestReadError("thrift: ran past the end at \(position)") }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func varint() throws -> UInt64 {
        var result: UInt64 = 0, shift: UInt64 = 0
        while true {
            let b = try byte()
            result |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
            guard shift < 64 else { throw TestReadError("thrift: varint too long") }
        }
    }

    mutating func zigzag() throws -> Int64 {
        let v = try varint()
        return Int64(bitPattern: v >> 1) ^ -Int64(bitPattern: v & 1)
    }

    mutating func readStruct() throws -> [Int16: ThriftValue] {
        var out: [Int16: ThriftValue] = [:]
        var last: Int16 = 0
        while true {
            let header = try byte()
            if header == 0 { return out }
            let type = header & 0x0F, delta = header >> 4
            let id: Int16 = delta == 0 ? Int16(try zigzag()) : last + Int16(delta)
            guard out[id] == nil else { throw TestReadError("thrift: field \(id) twice") }
            if type == 1 || type == 2 { out[id] = .bool(type == 1) } else { out[id] = try value(type: type) }
            last = id
        }
    }

    mutating func value(type: UInt8) throws -> ThriftValue {
        switch type {
        case 3: return .int(Int64(Int8(bitPattern: try byte())))
        case 4, 5, 6: return .int(try zigzag())
        case 7:
            var bits: UInt64 = 0
            for i in 0..<8 { bits |= UInt64(try byte()) << (8 * UInt64(i)) }
            return .double(Double(bitPattern: bits))
        case 8:
            let n = Int(try varint())
            guard position + n <= bytes.count else { throw TestReadError("thrift: binary past the end") }
            defer { position += n }
            return .binary(Array(bytes[position..<(position + n)]))
        case 9, 10:
            let header = try byte()
            var n = Int(header >> 4)
            if n == 15 { n = Int(try varint()) }
            var items: [ThriftValue] = []
            for _ in 0..<n { items.append(try value(type: header & 0x0F)) }
            return .list(items)
        case 12: return .fields(try readStruct())
        default: throw TestReadError("thrift: type \(type) not expected in Parquet metadata")
        }
    }
}

/// A Parquet file read back: the footer, and each column's PLAIN bytes gathered over all pages.
struct ParquetTestFile {
    var metadata: [Int16: ThriftValue]
    var columnBytes: [String: [UInt8]] = [:]
    var pages = 0

    init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else { throw TestReadError("no file \(path)") }
        let bytes = [UInt8](data)
        guard bytes.count >= 12, Array(bytes.prefix(4)) == Array("PAR1".utf8), Array(bytes.suffix(4)) == Array("PAR1".utf8) else {
            throw TestReadError("no PAR1 magic at both ends")
        }
        let n = bytes.count
        let footerLength = Int(UInt32(bytes[n - 8]) | UInt32(bytes[n - 7]) << 8 | UInt32(bytes[n - 6]) << 16 | UInt32(bytes[n - 5]) << 24)
        let footerStart = n - 8 - footerLength
        guard footerStart >= 4 else { throw TestReadError("footer length \(footerLength) does not fit") }
        var footer = ThriftCompactReader(bytes, at: footerStart)
        metadata = try footer.readStruct()
        guard footer.position == n - 8 else { throw TestReadError("footer ends at \(footer.position), not \(n - 8)") }

        for group in metadata[4]?.list ?? [] {
            for chunk in group.fields?[1]?.list ?? [] {
                guard let meta = chunk.fields?[3]?.fields, let name = meta[3]?.list?.first?.string,
                    let start = meta[9]?.int, let size = meta[7]?.int, let count = meta[5]?.int
                else {
                    throw TestReadError("column chunk without its metadata")
                }
                guard meta[4]?.int == 0 else { throw TestReadError("column \(name) is compressed") }
                var reader = ThriftCompactReader(bytes, at: Int(start))
                var values: Int64 = 0
                while reader.position < Int(start + size) {
                    let page = try reader.readStruct()
                    guard page[1]?.int == 0, let length = page[3]?.int, page[2]?.int == length,
                        let dataPage = page[5]?.fields, let pageValues = dataPage[1]?.int, dataPage[2]?.int == 0
                    else {
                        throw TestReadError("column \(name): not a PLAIN uncompressed data page")
                    }
                    let end = reader.position + Int(length)
                    guard end <= footerStart else { throw TestReadError("column \(name): page runs into the footer") }
                    columnBytes[name, default: []] += bytes[reader.position..<end]
                    reader.position = end
                    values += pageValues
                    pages += 1
                }
                guard reader.position == Int(start + size), values == count else {
                    throw TestReadError(
                        "column \(name): pages hold \(values) values in \(reader.position - Int(start)) bytes; metadata says \(count) in \(size)")
                }
            }
        }
    }

    var rows: Int64 { metadata[3]?.int ?? -1 }
    var rowGroups: Int { metadata[4]?.list?.count ?? 0 }
    /// (name, physical type, repetition) of each leaf column in the schema.
    var schema: [(name: String, type: Int64, repetition: Int64)] {
        (metadata[2]?.list ?? []).dropFirst().compactMap { e in
            guard let f = e.fields, let name = f[4]?.string, let type = f[1]?.int, let rep = f[3]?.int else { return nil }
            return (name, type, rep)
        }
    }

    func int32s(_ name: String) -> [Int32] {
        let b = columnBytes[name] ?? []
        return stride(from: 0, to: b.count, by: 4).map { i in
            Int32(bitPattern: UInt32(b[i]) | UInt32(b[i + 1]) << 8 | UInt32(b[i + 2]) << 16 | UInt32(b[i + 3]) << 24)
        }
    }

    func int64s(_ name: String) -> [Int64] {
        let b = columnBytes[name] ?? []
        return stride(from: 0, to: b.count, by: 8).map { i in
            var v: UInt64 = 0
            for j in 0..<8 { v |= UInt64(b[i + j]) << (8 * UInt64(j)) }
            return Int64(bitPattern: v)
        }
    }

    func floats(_ name: String) -> [Float] { int32s(name).map { Float(bitPattern: UInt32(bitPattern: $0)) } }
    func doubles(_ name: String) -> [Double] { int64s(name).map { Double(bitPattern: UInt64(bitPattern: $0)) } }
}
