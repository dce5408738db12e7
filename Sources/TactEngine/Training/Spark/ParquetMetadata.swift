/// The Parquet metadata Tact writes, encoded with the Thrift compact protocol as `parquet.thrift`
/// numbers its fields: data page headers, and the footer (`FileMetaData`) with the schema and the
/// row groups. Flat schemas only: every column REQUIRED, PLAIN-encoded, UNCOMPRESSED.
enum ParquetMetadata {
    /// Where one column chunk lies in the file.
    struct ColumnChunk {
        var field: ParquetField
        var values: Int64
        /// Bytes of the chunk, page headers included (the same compressed or not: nothing is compressed).
        var bytes: Int64
        var firstPageOffset: Int64
    }

    struct RowGroup {
        var rows: Int64
        var columns: [ColumnChunk]
        var offset: Int64
        var bytes: Int64 { columns.reduce(0) { $0 + $1.bytes } }
    }

    // parquet.thrift's enum values.
    static let pageTypeDataPage: Int32 = 0
    static let encodingPlain: Int32 = 0
    static let encodingRLE: Int32 = 3
    static let codecUncompressed: Int32 = 0
    static let repetitionRequired: Int32 = 0

    /// A version-1 data page header for `values` PLAIN values taking `bytes` bytes. Required flat
    /// columns have no repetition or definition levels, so the page holds the values alone.
    static func dataPageHeader(values: Int32, bytes: Int32) -> [UInt8] {
        var w = ThriftCompactWriter()
        w.beginStruct()  // PageHeader
        w.field(1, i32: pageTypeDataPage)  // type
        w.field(2, i32: bytes)  // uncompressed_page_size
        w.field(3, i32: bytes)  // compressed_page_size
        w.beginStructField(5)  // data_page_header
        w.field(1, i32: values)  //   num_values
        w.field(2, i32: encodingPlain)  //   encoding
        w.field(3, i32: encodingRLE)  //   definition_level_encoding
        w.field(4, i32: encodingRLE)  //   repetition_level_encoding
        w.endStruct()
        w.endStruct()
        return w.bytes
    }

    /// The footer's `FileMetaData`.
    static func fileMetaData(fields: [ParquetField], rowGroups: [RowGroup], createdBy: String) -> [UInt8] {
        var w = ThriftCompactWriter()
        w.beginStruct()  // FileMetaData
        w.field(1, i32: 1)  // version
        w.beginListField(2, elementType: .struct, count: fields.count + 1)  // schema: the root, then each column
        w.beginStruct()
        w.field(4, string: "schema")  //   name
        w.field(5, i32: Int32(fields.count))  //   num_children
        w.endStruct()
        for field in fields {
            w.beginStruct()
            w.field(1, i32: field.type.rawValue)  //   type
            w.field(3, i32: repetitionRequired)  //   repetition_type
            w.field(4, string: field.name)  //   name
            w.endStruct()
        }
        w.field(3, i64: rowGroups.reduce(0) { $0 + $1.rows })  // num_rows
        w.beginListField(4, elementType: .struct, count: rowGroups.count)  // row_groups
        for (ordinal, group) in rowGroups.enumerated() {
            w.beginStruct()  // RowGroup
            w.beginListField(1, elementType: .struct, count: group.columns.count)  // columns
            for chunk in group.columns {
                w.beginStruct()  // ColumnChunk
                w.field(2, i64: chunk.firstPageOffset)  //   file_offset
                w.beginStructField(3)  //   meta_data: ColumnMetaData
                w.field(1, i32: chunk.field.type.rawValue)  //     type
                w.beginListField(2, elementType: .i32, count: 2)  // encodings
                w.element(i32: encodingPlain)
                w.element(i32: encodingRLE)
                w.beginListField(3, elementType: .binary, count: 1)  // path_in_schema
                w.element(string: chunk.field.name)
                w.field(4, i32: codecUncompressed)  //     codec
                w.field(5, i64: chunk.values)  //     num_values
                w.field(6, i64: chunk.bytes)  //     total_uncompressed_size
                w.field(7, i64: chunk.bytes)  //     total_compressed_size
                w.field(9, i64: chunk.firstPageOffset)  //     data_page_offset
                w.endStruct()
                w.endStruct()
            }
            w.field(2, i64: group.bytes)  // total_byte_size
            w.field(3, i64: group.rows)  // num_rows
            w.field(5, i64: group.offset)  // file_offset
            w.field(6, i64: group.bytes)  // total_compressed_size
            if ordinal <= Int(Int16.max) { w.field(7, i16: Int16(ordinal)) }  // ordinal (optional; an i16)
            w.endStruct()
        }
        w.field(6, string: createdBy)  // created_by
        w.endStruct()
        return w.bytes
    }
}
