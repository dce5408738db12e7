import Foundation
import NIOCore
import PostgresNIO

/// A value bound to a statement parameter: the few types the schema uses, spelled out.
enum PostgresValue {
    case int(Int64)
    case text(String)
    case double(Double)
    case bytes([UInt8])
    case ints([Int64])
    case texts([String])
    case doubles([Double])
    case byteArrays([[UInt8]])
    case null

    static func int(_ value: Int64?) -> PostgresValue { value.map { .int($0) } ?? .null }
    static func text(_ value: String?) -> PostgresValue { value.map { .text($0) } ?? .null }
    static func bytes(_ value: [UInt8]?) -> PostgresValue { value.map { .bytes($0) } ?? .null }

    static func bindings(_ values: [PostgresValue]) throws -> PostgresBindings {
        var b = PostgresBindings(capacity: values.count)
        for v in values {
            switch v {
            case .int(let x): b.append(x)
            case .text(let x): b.append(x)
            case .double(let x): b.append(x)
            case .bytes(let x): try b.append(Data(x))
            case .ints(let x): try b.append(x)
            case .texts(let x): try b.append(x)
            case .doubles(let x): try b.append(x)
            case .byteArrays(let x): try b.append(x.map { ByteBuffer(bytes: $0) })
            case .null: b.appendNull()
            }
        }
        return b
    }
}

extension PostgresRandomAccessRow {
    func int(_ i: Int) throws -> Int64 { try self[i].decode(Int64.self) }
    func optionalInt(_ i: Int) throws -> Int64? { try self[i].decode(Int64?.self) }
    func text(_ i: Int) throws -> String { try self[i].decode(String.self) }
    func optionalText(_ i: Int) throws -> String? { try self[i].decode(String?.self) }
    func double(_ i: Int) throws -> Double { try self[i].decode(Double.self) }
    func bytes(_ i: Int) throws -> [UInt8] { [UInt8](try self[i].decode(Data.self)) }
    func optionalBytes(_ i: Int) throws -> [UInt8]? { try self[i].decode(Data?.self).map { [UInt8]($0) } }
}
