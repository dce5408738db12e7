/// Reads MovieLens 100K `u.item` (Latin-1, `|`-separated: id, title, release date, video date, URL,
/// 19 genre flags) with genre names from `u.genre`.
public final class MovieLensItemReader: ItemReader {
    private let records: DelimitedRecordReader
    private let genres: [String]
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    public init(directory: String) throws {
        var names: [String] = []
        let genrePath = directory + "/u.genre"
        if FileSystem.exists(genrePath) {
            let g = try DelimitedRecordReader(path: genrePath, delimiter: UInt8(ascii: "|"), quoting: false, encoding: .latin1)
            while let f = try g.next() {
                guard f.count == 2, let i = Int(f[1]) else {
                    throw InputError(file: genrePath, line: g.recordLine, message: "expected 'name|index'")
                }
                if names.count <= i { names += Array(repeating: "", count: i + 1 - names.count) }
                names[i] = f[0]
            }
        }
        genres = names
        records = try DelimitedRecordReader(path: directory + "/u.item", delimiter: UInt8(ascii: "|"), quoting: false, encoding: .latin1)
        records.columnNames = ["id", "title", "release date", "video release date", "url"]
    }

    public func next() throws -> Item? {
        guard let f = try records.next() else { return nil }
        let line = records.recordLine
        guard f.count >= 5 else {
            throw InputError(
                file: records.path, line: line, message: "expected id|title|release date|video release date|URL|genre flags, found \(f.count) fields")
        }
        let id = f[0].trimmingWhitespace()
        if let problem = Identifier.problem(id, maximumBytes: InteractionFieldParser.maximumIdLength) {
            throw InputError(file: records.path, line: line, field: "id", message: problem)
        }
        var tags: [String] = []
        for (i, flag) in f.dropFirst(5).enumerated() where flag == "1" {
            tags.append(i < genres.count && !genres[i].isEmpty ? genres[i] : "genre \(i)")
        }
        return Item(id: id, title: f[1], tags: tags, createdAt: Self.parseDate(f[2]))
    }

    /// `01-Jan-1995` to seconds since 1970; nil when empty or unreadable.
    static func parseDate(_ text: String) -> Int64? {
        let parts = text.split(separator: "-")
        guard parts.count == 3, let day = Int(parts[0]), let year = Int(parts[2]),
            let month = months.firstIndex(of: parts[1].lowercased())
        else { return nil }
        return Int64(TimestampParser.daysFromCivil(year: year, month: month + 1, day: day)) * 86_400
    }
}
