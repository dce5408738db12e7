/// Reads interactions from CSV or TSV with a header line.
/// Required columns: user, item, value, timestamp. Optional: kind, context, purpose, gpc.
public final class DelimitedInteractionReader: InteractionReader {
    enum Column: String, CaseIterable {
        case user, item, value, timestamp, kind, context, purpose, gpc

        /// Position in `allCases`.
        var ordinal: Int {
            switch self {
            case .user: 0
            case .item: 1
            case .value: 2
            case .timestamp: 3
            case .kind: 4
            case .context: 5
            case .purpose: 6
            case .gpc: 7
            }
        }
    }
    static let aliases: [String: Column] = [
        "user_id": .user, "userid": .user, "item_id": .item, "itemid": .item, "movieid": .item,
        "rating": .value, "time": .timestamp, "ts": .timestamp
    ]
    static let required: [Column] = [.user, .item, .value, .timestamp]

    private let records: DelimitedRecordReader
    private let parser: InteractionFieldParser
    /// Field position of each column (by `Column` case order), or -1 when absent.
    private let position: [Int]
    private let columnCount: Int
    public var currentLine: Int { records.recordLine }

    public init(path: String, delimiter: UInt8, quoting: Bool, defaultKind: InteractionKind) throws {
        records = try DelimitedRecordReader(path: path, delimiter: delimiter, quoting: quoting)
        parser = InteractionFieldParser(file: path, defaultKind: defaultKind)
        guard let header = try records.next() else {
            throw InputError(file: path, message: "is empty; expected a header line: user,item,value,timestamp[,kind]")
        }
        var index: [Column: Int] = [:]
        for (i, raw) in header.enumerated() {
            var name = raw.trimmingWhitespace().lowercased()
            if i == 0, name.hasPrefix("\u{FEFF}") { name.removeFirst() }
            guard let column = Column(rawValue: name) ?? Self.aliases[name] else {
                throw InputError(
                    file: path, line: 1, field: raw,
                    message:
                        "unknown column in the header; the columns are \(Self.required.map(\.rawValue).joined(separator: ",")) and optionally kind, context, purpose, gpc"
                )
            }
            if index[column] != nil { throw InputError(file: path, line: 1, field: raw, message: "appears twice in the header") }
            index[column] = i
        }
        for column in Self.required where index[column] == nil {
            throw InputError(file: path, line: 1, field: column.rawValue, message: "is missing from the header; the header must name user,item,value,timestamp")
        }
        self.position = Column.allCases.map { index[$0] ?? -1 }
        self.columnCount = header.count
        records.columnNames = header
    }

    public func next() throws -> IncomingInteraction? {
        guard let fields = try records.next() else { return nil }
        let line = records.recordLine
        guard fields.count == columnCount else {
            throw InputError(file: records.path, line: line, message: "expected \(columnCount) fields as in the header, found \(fields.count)")
        }
        func field(_ c: Column) -> String? {
            let p = position[c.ordinal]
            return p >= 0 ? fields[p] : nil
        }
        let kind = try parser.kind(field(.kind), line: line)
        return IncomingInteraction(
            user: try parser.identifier(field(.user), field: "user", line: line),
            item: try parser.identifier(field(.item), field: "item", line: line),
            kind: kind,
            value: try parser.value(field(.value), line: line),
            timestamp: try parser.timestamp(field(.timestamp), line: line),
            context: parser.context(field(.context)),
            purpose: try parser.purpose(field(.purpose), line: line),
            globalPrivacyControl: try parser.flag(field(.gpc), field: "gpc", line: line))
    }
}
