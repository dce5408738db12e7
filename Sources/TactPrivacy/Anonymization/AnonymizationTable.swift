/// A table of text values with named columns: what k-anonymization reads and writes.
public struct AnonymizationTable: Sendable, Equatable {
    public var columns: [String]
    public var rows: [[String]]

    public init(columns: [String], rows: [[String]]) {
        self.columns = columns
        self.rows = rows
    }

    /// The index of a column, or nil.
    public func column(_ name: String) -> Int? { columns.firstIndex(of: name) }
}

/// How much a table lets records be singled out by their quasi-identifiers.
public struct ReidentificationRisk: Sendable, Equatable, Codable {
    /// Records in the table (after suppression, for an anonymized one).
    public var records: Int
    /// Equivalence classes: groups of records with equal quasi-identifiers.
    public var classes: Int
    /// Share of records that are alone in their class (re-identifiable by the quasi-identifiers alone).
    public var uniqueShare: Double
    /// The smallest and the average class size: k is the smallest.
    public var smallestClass: Int
    public var averageClass: Double
    /// The fewest distinct sensitive values in a class (the table's l), when a sensitive column is given.
    public var smallestDiversity: Int?
    /// The highest chance of re-identifying a record by linkage (1 / smallest class), the prosecutor model's maximum risk.
    public var maximumRisk: Double { smallestClass > 0 ? 1 / Double(smallestClass) : 0 }

    /// The risk of `table` for the given quasi-identifier and sensitive columns.
    public static func measure(_ table: AnonymizationTable, quasi: [Int], sensitive: Int?) -> ReidentificationRisk {
        var classes: [[String]: (count: Int, values: Set<String>)] = [:]
        for row in table.rows {
            let key = quasi.map { row[$0] }
            var entry = classes[key, default: (0, [])]
            entry.count += 1
            if let sensitive { entry.values.insert(row[sensitive]) }
            classes[key] = entry
        }
        let sizes = classes.values.map(\.count)
        let unique = sizes.filter { $0 == 1 }.count
        return ReidentificationRisk(
            records: table.rows.count, classes: classes.count,
            uniqueShare: table.rows.isEmpty ? 0 : Double(unique) / Double(table.rows.count),
            smallestClass: sizes.min() ?? 0,
            averageClass: classes.isEmpty ? 0 : Double(table.rows.count) / Double(classes.count),
            smallestDiversity: sensitive == nil ? nil : classes.values.map(\.values.count).min())
    }
}
