/// Encodes Thrift structs in the compact protocol, the encoding of Parquet's page headers and file
/// footer. Only what Parquet's metadata needs: i16/i32/i64, binary, bool, lists and nested structs.
/// A message is one struct: `beginStruct()`, its fields in increasing id order, `endStruct()`.
struct ThriftCompactWriter {
    /// The compact protocol's type codes (as they appear in field headers and list headers).
    enum FieldType: UInt8 {
        case boolTrue = 1, boolFalse = 2, byte = 3, i16 = 4, i32 = 5, i64 = 6, double = 7, binary = 8, list = 9, set = 10, map = 11, `struct` = 12
    }

    private(set) var bytes: [UInt8] = []
    /// The last field id written in each open struct (the innermost last).
    private var lastFieldIDs: [Int16] = []

    // MARK: Fields

    mutating func field(_ id: Int16, i32 value: Int32) {
        fieldHeader(id, .i32)
        varint(zigzag(Int64(value)))
    }

    mutating func field(_ id: Int16, i64 value: Int64) {
        fieldHeader(id, .i64)
        varint(zigzag(value))
    }

    mutating func field(_ id: Int16, i16 value: Int16) {
        fieldHeader(id, .i16)
        varint(zigzag(Int64(value)))
    }

    mutating func field(_ id: Int16, string value: String) {
        fieldHeader(id, .binary)
        binary(Array(value.utf8))
    }

    mutating func field(_ id: Int16, bool value: Bool) {
        fieldHeader(id, value ? .boolTrue : .boolFalse)
    }

    /// Starts a list field; then write `count` elements of `elementType` (for structs: `beginStruct()` … `endStruct()` each).
    mutating func beginListField(_ id: Int16, elementType: FieldType, count: Int) {
        fieldHeader(id, .list)
        listHeader(elementType: elementType, count: count)
    }

    /// Starts a struct-valued field; close it with `endStruct()`.
    mutating func beginStructField(_ id: Int16) {
        fieldHeader(id, .struct)
        beginStruct()
    }

    // MARK: List elements and structs

    mutating func element(i32 value: Int32) { varint(zigzag(Int64(value))) }

    mutating func element(string value: String) { binary(Array(value.utf8)) }

    /// Starts a struct (a list element, or a top-level struct); its fields' ids restart from zero.
    mutating func beginStruct() { lastFieldIDs.append(0) }

    /// Writes the stop byte that ends the innermost open struct.
    mutating func endStruct() {
        bytes.append(0)
        precondition(!lastFieldIDs.isEmpty, "endStruct without beginStruct")
        lastFieldIDs.removeLast()
    }

    // MARK: Encoding

    private mutating func fieldHeader(_ id: Int16, _ type: FieldType) {
        precondition(!lastFieldIDs.isEmpty, "a Thrift field outside a struct")
        let last = lastFieldIDs[lastFieldIDs.count - 1]
        precondition(id > last, "Thrift fields must be written in increasing id order")
        let delta = Int(id) - Int(last)
        if delta <= 15 {
            bytes.append(UInt8(delta) << 4 | type.rawValue)
        } else {
            bytes.append(type.rawValue)
            varint(zigzag(Int64(id)))
        }
        lastFieldIDs[lastFieldIDs.count - 1] = id
    }

    private mutating func listHeader(elementType: FieldType, count: Int) {
        if count < 15 {
            bytes.append(UInt8(count) << 4 | elementType.rawValue)
        } else {
            bytes.append(0xF0 | elementType.rawValue)
            varint(UInt64(count))
        }
    }

    private mutating func binary(_ value: [UInt8]) {
        varint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    private func zigzag(_ n: Int64) -> UInt64 { UInt64(bitPattern: (n << 1) ^ (n >> 63)) }

    private mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }
}
