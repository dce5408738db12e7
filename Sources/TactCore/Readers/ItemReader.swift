/// A stream of catalog items read from a file.
public protocol ItemReader: AnyObject {
    func next() throws -> Item?
}

/// The catalog file formats Tact reads.
public enum ItemFileFormat: String, Sendable, CaseIterable {
    case csv, tsv, jsonl, movielens

    /// A directory holding `u.item` (or a file named u.item) is MovieLens; otherwise as for interactions.
    public static func detect(path: String) throws -> ItemFileFormat {
        if FileSystem.isDirectory(path) {
            if FileSystem.exists(path + "/u.item") { return .movielens }
            throw InputError(file: path, message: "is a directory without u.item; give a CSV, TSV or JSON Lines catalog, or a MovieLens 100K directory")
        }
        if path.hasSuffix("u.item") { return .movielens }
        switch try InteractionFileFormat.detect(path: path) {
        case .jsonl: return .jsonl
        case .tsv: return .tsv
        default: return .csv
        }
    }

    public func open(path: String) throws -> any ItemReader {
        switch self {
        case .csv: return try DelimitedItemReader(path: path, delimiter: UInt8(ascii: ","), quoting: true)
        case .tsv: return try DelimitedItemReader(path: path, delimiter: UInt8(ascii: "\t"), quoting: false)
        case .jsonl: return try JSONLinesItemReader(path: path)
        case .movielens:
            let dir = FileSystem.isDirectory(path) ? path : String(path.dropLast("/u.item".count))
            return try MovieLensItemReader(directory: dir.isEmpty ? "." : dir)
        }
    }
}

/// Splits a tag list written as `a|b|c` or `a;b;c`.
func splitTags(_ text: String) -> [String] {
    text.split(whereSeparator: { $0 == "|" || $0 == ";" }).map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
}

/// Reads a catalog from CSV or TSV with a header: `id,title` and optionally `tags` (separated by | or ;) and `created`.
public final class DelimitedItemReader: ItemReader {
    enum Column: String { case id, title, tags, created }
    static let aliases: [String: Column] = [
        "item": .id, "item_id": .id, "itemid": .id, "name": .title, "categories": .tags, "genres": .tags,
        "created_at": .created, "release_date": .created
    ]
    private let records: DelimitedRecordReader
    private let index: [Column: Int]
    private let columnCount: Int

    public init(path: String, delimiter: UInt8, quoting: Bool) throws {
        records = try DelimitedRecordReader(path: path, delimiter: delimiter, quoting: quoting)
        guard let header = try records.next() else {
            throw InputError(file: path, message: "is empty; expected a header line: id,title[,tags,created]")
        }
        var index: [Column: Int] = [:]
        for (i, raw) in header.enumerated() {
            var name = raw.trimmingWhitespace().lowercased()
            if i == 0, name.hasPrefix("\u{FEFF}") { name.removeFirst() }
            guard let c = Column(rawValue: name) ?? Self.aliases[name] else {
                throw InputError(file: path, line: 1, field: raw, message: "unknown column in the header; the columns are id,title and optionally tags,created")
            }
            if index[c] != nil { throw InputError(file: path, line: 1, field: raw, message: "appears twice in the header") }
            index[c] = i
        }
        guard index[.id] != nil else { throw InputError(file: path, line: 1, field: "id", message: "is missing from the header") }
        self.index = index
        columnCount = header.count
        records.columnNames = header
    }

    public func next() throws -> Item? {
        guard let f = try records.next() else { return nil }
        let line = records.recordLine
        guard f.count == columnCount else {
            throw InputError(file: records.path, line: line, message: "expected \(columnCount) fields as in the header, found \(f.count)")
        }
        let parser = InteractionFieldParser(file: records.path, defaultKind: .view)
        let id = try parser.identifier(index[.id].map { f[$0] }, field: "id", line: line)
        var created: Int64?
        if let c = index[.created], !f[c].trimmingWhitespace().isEmpty {
            switch TimestampParser.parse(f[c]) {
            case .success(let t): created = t
            case .failure(let e): throw InputError(file: records.path, line: line, field: "created", message: e.message)
            }
        }
        let tags = index[.tags].map { splitTags(f[$0]) } ?? []
        if tags.contains(where: Identifier.containsControl) {
            throw InputError(file: records.path, line: line, field: "tags", message: "contains a control character; remove it")
        }
        return Item(id: id, title: index[.title].map { f[$0].trimmingWhitespace() } ?? "", tags: tags, createdAt: created)
    }
}
