import Foundation

/// Reads a catalog from JSON Lines: `{"id": "...", "title": "...", "tags": ["..."], "created": "2024-01-01"}`.
public final class JSONLinesItemReader: ItemReader {
    private let lines: DelimitedRecordReader

    public init(path: String) throws {
        lines = try DelimitedRecordReader(path: path, delimiter: nil, quoting: false)
        lines.columnNames = ["line"]
    }

    public func next() throws -> Item? {
        guard let fields = try lines.next() else { return nil }
        let line = lines.recordLine, path = lines.path
        guard let object = (try? JSONSerialization.jsonObject(with: Data(fields[0].utf8))) as? [String: Any] else {
            throw InputError(file: path, line: line, message: "is not a JSON object such as {\"id\":\"i1\",\"title\":\"...\"}")
        }
        let id: String
        switch object["id"] {
        case let s as String: id = s.trimmingWhitespace()
        case let n as NSNumber: id = Int64(exactly: n.doubleValue).map { String($0) } ?? n.stringValue
        default: throw InputError(file: path, line: line, field: "id", message: "is missing or not a string")
        }
        if let problem = Identifier.problem(id, maximumBytes: InteractionFieldParser.maximumIdLength) {
            throw InputError(file: path, line: line, field: "id", message: problem)
        }
        var tags: [String] = []
        switch object["tags"] {
        case nil, is NSNull: break
        case let list as [Any]:
            for t in list {
                guard let s = t as? String else { throw InputError(file: path, line: line, field: "tags", message: "must be a list of strings") }
                tags.append(s)
            }
        case let s as String: tags = splitTags(s)
        default: throw InputError(file: path, line: line, field: "tags", message: "must be a list of strings")
        }
        var created: Int64?
        switch object["created"] {
        case nil, is NSNull: break
        case let n as NSNumber: created = Int64(n.doubleValue)
        case let s as String:
            switch TimestampParser.parse(s) {
            case .success(let t): created = t
            case .failure(let e): throw InputError(file: path, line: line, field: "created", message: e.message)
            }
        default: throw InputError(file: path, line: line, field: "created", message: "must be a timestamp")
        }
        if let i = tags.firstIndex(where: Identifier.containsControl) {
            throw InputError(file: path, line: line, field: "tags[\(i)]", message: "contains a control character; remove it")
        }
        let title = object["title"] as? String ?? ""
        return Item(id: id, title: title, tags: tags, createdAt: created)
    }
}
