import Foundation
import TactTestSupport
import Testing

@testable import TactEngine

@Suite struct ParquetWriterTests {
    let tmp = TemporaryDirectory("tact-parquet")

    @Test("a file of every column type reads back: magic, schema, row count, values")
    func roundTrip() throws {
        let path = tmp.file("all.parquet")
        let writer = try ParquetWriter(
            path: path,
            fields: [
                ParquetField("a", .int32), ParquetField("b", .int64),
                ParquetField("c", .float), ParquetField("d", .double)
            ])
        let a: [Int32] = [0, 1, -1, .max, .min], b: [Int64] = [5, -6, .max, .min, 0]
        let c: [Float] = [0.5, -1.25, 3e30, .leastNonzeroMagnitude, 7], d: [Double] = [1e-300, -2, 0, 4.5, .pi]
        try writer.writeRowGroup([.int32(a), .int64(b), .float(c), .double(d)])
        try writer.close()

        let file = try ParquetTestFile(path: path)
        #expect(file.metadata[1]?.int == 1, "FileMetaData.version")
        #expect(file.rows == 5 && file.rowGroups == 1)
        #expect(file.schema.map(\.name) == ["a", "b", "c", "d"])
        #expect(file.schema.map(\.type) == [1, 2, 4, 5], "INT32, INT64, FLOAT, DOUBLE")
        #expect(file.schema.allSatisfy { $0.repetition == 0 }, "REQUIRED")
        #expect(file.metadata[2]?.list?.first?.fields?[5]?.int == 4, "the root has four children")
        #expect(file.int32s("a") == a && file.int64s("b") == b && file.floats("c") == c && file.doubles("d") == d)
        #expect(file.metadata[6]?.string?.hasPrefix("tact version") == true)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test("several row groups and several pages per column chunk; a list of more than 14 schema elements")
    func rowGroupsAndPages() throws {
        let path = tmp.file("many.parquet")
        let fields = (0..<16).map { ParquetField("c\($0)", .int32) }
        let writer = try ParquetWriter(path: path, fields: fields, maxPageValues: 7)
        var expected = [[Int32]](repeating: [], count: 16)
        for group in 0..<3 {
            let rows = 10 + group * 6
            let columns = (0..<16).map { c in (0..<rows).map { Int32(c * 1000 + group * 100 + $0) } }
            for c in 0..<16 { expected[c] += columns[c] }
            try writer.writeRowGroup(columns.map { .int32($0) })
        }
        try writer.writeRowGroup((0..<16).map { _ in .int32([]) })  // empty: skipped
        try writer.close()
        let file = try ParquetTestFile(path: path)
        #expect(file.rows == 10 + 16 + 22 && file.rowGroups == 3)
        #expect(file.schema.count == 16)
        #expect(file.pages == 16 * (2 + 3 + 4), "ceil(10/7) + ceil(16/7) + ceil(22/7) pages per column")
        for c in 0..<16 { #expect(file.int32s("c\(c)") == expected[c]) }
        let groups = file.metadata[4]?.list ?? []
        #expect(groups.map { $0.fields?[3]?.int } == [10, 16, 22])
        #expect(groups.map { $0.fields?[7]?.int } == [0, 1, 2], "ordinals")
    }

    @Test("the Thrift encoder: long field gaps, negative numbers and long lists decode as written")
    func thriftEncoding() throws {
        var w = ThriftCompactWriter()
        w.beginStruct()
        w.field(1, i32: -1)
        w.field(40, i64: 1 << 40)  // a gap over 15: the long field header
        w.beginListField(41, elementType: .i32, count: 20)
        for i in 0..<20 { w.element(i32: Int32(i) - 10) }
        w.field(42, bool: true)
        w.field(43, bool: false)
        w.beginStructField(44)
        w.field(2, string: "ünïcode")
        w.endStruct()
        w.endStruct()
        var r = ThriftCompactReader(w.bytes)
        let s = try r.readStruct()
        #expect(r.position == w.bytes.count)
        #expect(s[1]?.int == -1 && s[40]?.int == 1 << 40)
        #expect(s[41]?.list?.compactMap(\.int) == (0..<20).map { Int64($0) - 10 })
        #expect(s[42] == .bool(true) && s[43] == .bool(false))
        #expect(s[44]?.fields?[2]?.string == "ünïcode")
    }

    @Test("wrong row groups are refused with what was wrong, and nothing is written after close")
    func badInput() throws {
        let writer = try ParquetWriter(path: tmp.file("bad.parquet"), fields: [ParquetField("x", .int32), ParquetField("y", .float)])
        #expect(throws: ParquetWriterError.columnCount(expected: 2, got: 1)) { try writer.writeRowGroup([.int32([1])]) }
        #expect(throws: ParquetWriterError.columnType(column: "y", expected: .float, got: .double)) {
            try writer.writeRowGroup([.int32([1]), .double([1])])
        }
        #expect(throws: ParquetWriterError.columnLength(column: "y", expected: 1, got: 2)) {
            try writer.writeRowGroup([.int32([1]), .float([1, 2])])
        }
        try writer.close()
        #expect(throws: ParquetWriterError.closed) { try writer.writeRowGroup([.int32([1]), .float([1])]) }
        let file = try ParquetTestFile(path: tmp.file("bad.parquet"))
        #expect(file.rows == 0 && file.rowGroups == 0)
        #expect(throws: ParquetWriterError.self) { try ParquetWriter(path: tmp.file("no/such/folder/x.parquet"), fields: [ParquetField("x", .int32)]) }
    }
}
