/// A stream of incoming interactions read from a file, one record at a time.
public protocol InteractionReader: AnyObject {
    /// The next record, nil at the end; throws an `InputError` naming the line and field at fault.
    func next() throws -> IncomingInteraction?
    /// The line of the record last returned.
    var currentLine: Int { get }
}

/// The interaction file formats Tact reads.
public enum InteractionFileFormat: String, Sendable, CaseIterable {
    case csv, tsv, jsonl, movielens

    /// Chooses a reader by the path: a directory holding `u.data` is MovieLens; otherwise by extension,
    /// then by the first line (`{` is JSON Lines, a tab is TSV, else CSV).
    public static func detect(path: String) throws -> InteractionFileFormat {
        if FileSystem.isDirectory(path) {
            if FileSystem.exists(path + "/u.data") { return .movielens }
            throw InputError(file: path, message: "is a directory without u.data; give a CSV, TSV or JSON Lines file, or a MovieLens 100K directory")
        }
        let lower = path.lowercased()
        if lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") { return .jsonl }
        if lower.hasSuffix(".tsv") || lower.hasSuffix(".tab") { return .tsv }
        if lower.hasSuffix(".csv") { return .csv }
        if lower.hasSuffix("u.data") { return .movielens }
        let first = try FileSystem.firstBytes(path, count: 4096)
        if first.first(where: { $0 != UInt8(ascii: " ") }) == UInt8(ascii: "{") { return .jsonl }
        if first.prefix(while: { $0 != UInt8(ascii: "\n") }).contains(UInt8(ascii: "\t")) { return .tsv }
        return .csv
    }

    /// Opens a reader for `path` in this format.
    public func open(path: String, defaultKind: InteractionKind = .view) throws -> any InteractionReader {
        switch self {
        case .csv: return try DelimitedInteractionReader(path: path, delimiter: UInt8(ascii: ","), quoting: true, defaultKind: defaultKind)
        case .tsv: return try DelimitedInteractionReader(path: path, delimiter: UInt8(ascii: "\t"), quoting: false, defaultKind: defaultKind)
        case .jsonl: return try JSONLinesInteractionReader(path: path, defaultKind: defaultKind)
        case .movielens:
            let file = FileSystem.isDirectory(path) ? path + "/u.data" : path
            return try MovieLensRatingsReader(path: file)
        }
    }
}
