/// Reads MovieLens 100K `u.data`: tab-separated `user item rating timestamp`, no header.
public final class MovieLensRatingsReader: InteractionReader {
    private let records: DelimitedRecordReader
    private let parser: InteractionFieldParser
    public var currentLine: Int { records.recordLine }

    public init(path: String) throws {
        records = try DelimitedRecordReader(path: path, delimiter: UInt8(ascii: "\t"), quoting: false)
        records.columnNames = ["user", "item", "rating", "timestamp"]
        parser = InteractionFieldParser(file: path, defaultKind: .rating)
    }

    public func next() throws -> IncomingInteraction? {
        guard let f = try records.next() else { return nil }
        let line = records.recordLine
        guard f.count == 4 else {
            throw InputError(file: records.path, line: line, message: "expected 4 tab-separated fields (user item rating timestamp), found \(f.count)")
        }
        return IncomingInteraction(
            user: try parser.identifier(f[0], field: "user", line: line),
            item: try parser.identifier(f[1], field: "item", line: line),
            kind: .rating,
            value: try parser.value(f[2], line: line),
            timestamp: try parser.timestamp(f[3], line: line))
    }
}
