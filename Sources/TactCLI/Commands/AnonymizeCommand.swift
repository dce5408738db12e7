import ArgumentParser
import Foundation
import TactCore
import TactPrivacy

struct AnonymizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "anonymize",
        abstract: "Make a table k-anonymous and l-diverse before it is shared (Mondrian generalization, with suppression).",
        discussion: """
            Reads a CSV (with a header), TSV, or pipe-separated file (MovieLens's u.user is read as \
            id|age|gender|occupation|zip), generalizes the --quasi columns so that every combination is \
            shared by at least --k records holding at least --l distinct --sensitive values, and writes \
            the quasi-identifier, sensitive and --keep columns as CSV; every other column (names, ids) is \
            dropped. Prints the re-identification risk before and after on standard error. See docs/anonymization.md.
            """)

    enum Format: String, ExpressibleByArgument { case csv, tsv, pipe }

    @Argument(help: ArgumentHelp("The table.", valueName: "FILE")) var file: String
    @Option(help: "Every quasi-identifier combination must be shared by at least k records.") var k = 5
    @Option(help: "Every class must hold at least l distinct sensitive values.") var l = 1
    @Option(help: "Quasi-identifier columns, comma-separated.") var quasi: String
    @Option(help: "The sensitive column.") var sensitive: String?
    @Option(help: "Other columns to keep unchanged, comma-separated (everything else is dropped).") var keep: String?
    @Option(help: "Share of records that may be suppressed to generalize the rest less (0 to 0.5).") var maxSuppression = 0.0
    @Option(help: "csv (header), tsv (header) or pipe (no header); default: detected.") var format: Format?
    @Option(help: "Column names for a file without a header, comma-separated.") var columns: String?
    @Option(name: .shortAndLong, help: ArgumentHelp("Write the table here instead of standard output.", valueName: "FILE")) var output: String?
    @Flag(help: "Print the risk report as one JSON line on standard error.") var json = false

    func validate() throws {
        guard k >= 1 else { throw ValidationError("--k must be at least 1") }
        guard l >= 1 else { throw ValidationError("--l must be at least 1") }
        guard (0...0.5).contains(maxSuppression) else { throw ValidationError("--max-suppression must be between 0 and 0.5") }
        guard l == 1 || sensitive != nil else { throw ValidationError("--l needs --sensitive") }
    }

    func run() throws {
        let table = try read()
        let quasiColumns = quasi.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let keepColumns = keep?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } ?? []
        let result: Mondrian.Result
        do {
            result = try Mondrian(k: k, l: l, maxSuppression: maxSuppression).anonymize(table, quasi: quasiColumns, sensitive: sensitive, keep: keepColumns)
        } catch let error as AnonymizationError {
            throw ValidationError(error.description)
        }
        var csv = csvLine(result.table.columns)
        for row in result.table.rows { csv += csvLine(row) }
        if let output {
            try csv.write(toFile: output, atomically: true, encoding: .utf8)
        } else {
            FileHandle.standardOutput.write(Data(csv.utf8))
        }
        report(result)
    }

    func report(_ r: Mondrian.Result) {
        func risk(_ x: ReidentificationRisk) -> [String: Any] {
            var o: [String: Any] = [
                "records": x.records, "classes": x.classes, "unique_share": x.uniqueShare, "smallest_class": x.smallestClass,
                "average_class": x.averageClass, "maximum_risk": x.maximumRisk
            ]
            if let d = x.smallestDiversity { o["smallest_diversity"] = d }
            return o
        }
        if json {
            let object: [String: Any] = [
                "k": k, "l": l, "suppressed": r.suppressed, "partitions": r.partitions,
                "information_loss": r.informationLoss, "before": risk(r.before), "after": risk(r.after)
            ]
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
            FileHandle.standardError.write(data + Data("\n".utf8))
            return
        }
        var t = TextTable("", "before", "after")
        t.add("records", grouped(r.before.records), grouped(r.after.records))
        t.add("classes (equal quasi-identifiers)", grouped(r.before.classes), grouped(r.after.classes))
        t.add("records unique on them", String(format: "%.1f%%", r.before.uniqueShare * 100), String(format: "%.1f%%", r.after.uniqueShare * 100))
        t.add("smallest class (k)", "\(r.before.smallestClass)", "\(r.after.smallestClass)")
        t.add("average class", fixed(r.before.averageClass, 2), fixed(r.after.averageClass, 2))
        if let b = r.before.smallestDiversity, let a = r.after.smallestDiversity { t.add("fewest sensitive values in a class (l)", "\(b)", "\(a)") }
        t.add("highest re-identification risk", String(format: "%.3f", r.before.maximumRisk), String(format: "%.3f", r.after.maximumRisk))
        let summary =
            "k = \(k), l = \(l): \(r.partitions) classes, \(r.suppressed) records suppressed, information loss \(String(format: "%.3f", r.informationLoss))\n"
        FileHandle.standardError.write(Data((summary + t.render() + "\n").utf8))
    }

    /// The table, with its header or the given (or MovieLens) column names.
    func read() throws -> AnonymizationTable {
        let name = (file as NSString).lastPathComponent
        var firstLine = ""
        try LineStream(path: file).forEachLine { line, number in
            if number == 1 { firstLine = String(decoding: line, as: UTF8.self) }
        }
        let detected: Format = format ?? (firstLine.contains("|") ? .pipe : firstLine.contains("\t") ? .tsv : .csv)
        let delimiter: UInt8 = detected == .csv ? UInt8(ascii: ",") : detected == .tsv ? UInt8(ascii: "\t") : UInt8(ascii: "|")
        let reader = try DelimitedRecordReader(
            path: file, delimiter: delimiter, quoting: detected == .csv,
            encoding: name == "u.user" ? .latin1 : .utf8)
        var header: [String]
        if let columns {
            header = columns.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        } else if detected == .pipe {
            header = ["id", "age", "gender", "occupation", "zip"]
        } else {
            guard let first = try reader.next() else { throw ValidationError("\(file) is empty") }
            header = first
        }
        var rows: [[String]] = []
        while let record = try reader.next() {
            guard record.count == header.count else {
                throw InputError(
                    file: file, line: reader.recordLine,
                    message: "has \(record.count) fields where the header names \(header.count); give --columns or fix the line")
            }
            rows.append(record)
        }
        return AnonymizationTable(columns: header, rows: rows)
    }

    func csvLine(_ fields: [String]) -> String {
        fields.map { f in
            f.contains(",") || f.contains("\"") || f.contains("\n") ? "\"" + f.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : f
        }.joined(separator: ",") + "\n"
    }
}
