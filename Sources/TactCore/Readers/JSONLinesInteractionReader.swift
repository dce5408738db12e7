import Foundation

/// Reads interactions from JSON Lines: one object per line with
/// `user`, `item`, `timestamp` and optionally `value`, `kind`, `context`, `purpose`, `gpc`.
public final class JSONLinesInteractionReader: InteractionReader {
    static let keys: Set<String> = ["user", "item", "value", "timestamp", "kind", "context", "purpose", "gpc"]
    private let lines: DelimitedRecordReader
    private let parser: InteractionFieldParser
    public var currentLine: Int { lines.recordLine }

    public init(path: String, defaultKind: InteractionKind) throws {
        lines = try DelimitedRecordReader(path: path, delimiter: nil, quoting: false)
        lines.columnNames = ["line"]
        parser = InteractionFieldParser(file: path, defaultKind: defaultKind)
    }

    public func next() throws -> IncomingInteraction? {
        guard let fields = try lines.next() else { return nil }
        let line = lines.recordLine
        let text = fields[0]
        if text.trimmingWhitespace().isEmpty { return try next() }
        let object: [String: Any]
        do {
            guard let o = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
                throw InputError(
                    file: lines.path, line: line, message: "expected a JSON object such as {\"user\":\"u1\",\"item\":\"i9\",\"timestamp\":1700000000}")
            }
            object = o
        } catch let e as InputError {
            throw e
        } catch {
            throw InputError(file: lines.path, line: line, message: "is not valid JSON")
        }
        if let unknown = object.keys.first(where: { !Self.keys.contains($0) }) {
            throw InputError(file: lines.path, line: line, field: unknown, message: "unknown key; the keys are \(Self.keys.sorted().joined(separator: ", "))")
        }
        func string(_ key: String) throws -> String? {
            switch object[key] {
            case nil, is NSNull: return nil
            case let s as String: return s
            case let n as NSNumber where key != "gpc":
                if let i = Int64(exactly: n.doubleValue) { return String(i) }
                return n.stringValue
            case let b as Bool: return b ? "true" : "false"
            default: throw InputError(file: lines.path, line: line, field: key, message: "has the wrong type; expected a string or number")
            }
        }
        let value: Double?
        switch object["value"] {
        case nil, is NSNull: value = nil
        case let n as NSNumber: value = try parser.value(number: n.doubleValue, line: line)
        case let s as String: value = try parser.value(s, line: line)
        default: throw InputError(file: lines.path, line: line, field: "value", message: "has the wrong type; expected a number")
        }
        var gpc = false
        switch object["gpc"] {
        case nil, is NSNull: gpc = false
        case let b as Bool: gpc = b
        case let s as String: gpc = try parser.flag(s, field: "gpc", line: line)
        default: throw InputError(file: lines.path, line: line, field: "gpc", message: "has the wrong type; expected true or false")
        }
        return IncomingInteraction(
            user: try parser.identifier(string("user"), field: "user", line: line),
            item: try parser.identifier(string("item"), field: "item", line: line),
            kind: try parser.kind(string("kind"), line: line),
            value: value,
            timestamp: try parser.timestamp(string("timestamp"), line: line),
            context: parser.context(try string("context")),
            purpose: try parser.purpose(string("purpose"), line: line),
            globalPrivacyControl: gpc)
    }
}
