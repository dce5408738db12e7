import Foundation

/// k-anonymity with l-diversity by Mondrian multidimensional partitioning (LeFevre, DeWitt and
/// Ramakrishnan 2006, relaxed variant): the records are split recursively at the median of the
/// quasi-identifier with the widest normalized range, as long as both halves keep at least k records
/// and l distinct sensitive values (l-diversity, Machanavajjhala et al. 2007); each final partition's
/// quasi-identifiers are then generalized to one value that covers them (a range, a common prefix, or
/// a set). Numeric columns are ordered as numbers, others as text.
///
/// Suppression: up to `maxSuppression` of the records may be withheld, those of the partitions that had
/// to be generalized the most, trading a few records for precision everywhere else. A table that cannot
/// satisfy l-diversity at all (fewer than l sensitive values in total) is suppressed whole.
public struct Mondrian: Sendable {
    public var k: Int
    public var l: Int
    public var maxSuppression: Double

    public init(k: Int, l: Int = 1, maxSuppression: Double = 0) {
        precondition(k >= 1 && l >= 1 && maxSuppression >= 0 && maxSuppression < 1)
        self.k = k
        self.l = l
        self.maxSuppression = maxSuppression
    }

    /// What anonymization produced.
    public struct Result: Sendable {
        /// The anonymized table: the quasi-identifier and sensitive columns and any kept columns, suppressed rows left out.
        public var table: AnonymizationTable
        public var suppressed: Int
        public var partitions: Int
        /// Mean normalized certainty penalty over the quasi-identifiers (0: no generalization, 1: all values replaced by "*").
        public var informationLoss: Double
        public var before: ReidentificationRisk
        public var after: ReidentificationRisk
    }

    /// Anonymizes `table`. Columns outside `quasi`, `sensitive` and `keep` are dropped (direct identifiers must not survive).
    public func anonymize(_ table: AnonymizationTable, quasi: [String], sensitive: String?, keep: [String] = []) throws -> Result {
        let quasiIndex = try quasi.map { try index(of: $0, in: table) }
        let sensitiveIndex = try sensitive.map { try index(of: $0, in: table) }
        let keepIndex = try keep.map { try index(of: $0, in: table) }
        let attributes = quasiIndex.map { column in Attribute(values: table.rows.map { row in row[column] }) }
        let before = ReidentificationRisk.measure(table, quasi: quasiIndex, sensitive: sensitiveIndex)

        // Partition record indices.
        var leaves: [[Int]] = []
        let all = Array(table.rows.indices)
        if all.count >= k && diversity(all, table, sensitiveIndex) >= l {
            split(all, table: table, attributes: attributes, sensitive: sensitiveIndex, into: &leaves)
        }
        // Generalize each leaf; rank by loss for suppression.
        var generalized: [(rows: [Int], values: [String], loss: Double)] = leaves.map { rows in
            var values: [String] = [], loss = 0.0
            for attribute in attributes {
                let (value, penalty) = attribute.generalize(rows.map { attribute.rank[$0] })
                values.append(value)
                loss += penalty
            }
            return (rows, values, attributes.isEmpty ? 0 : loss / Double(attributes.count))
        }
        var suppressed = table.rows.count - leaves.reduce(0) { $0 + $1.count }
        let budget = Int(maxSuppression * Double(table.rows.count))
        generalized.sort { $0.loss != $1.loss ? $0.loss > $1.loss : $0.rows[0] < $1.rows[0] }
        while let worst = generalized.first, suppressed + worst.rows.count <= budget, worst.loss > 0 {
            suppressed += worst.rows.count
            generalized.removeFirst()
        }
        generalized.sort { $0.rows[0] < $1.rows[0] }

        // The output: quasi-identifiers generalized, sensitive and kept columns as they were, in input order.
        let outputColumns = quasi + (sensitive.map { [$0] } ?? []) + keep
        var output: [(order: Int, row: [String])] = []
        for leaf in generalized {
            for r in leaf.rows {
                output.append((r, leaf.values + (sensitiveIndex.map { [table.rows[r][$0]] } ?? []) + keepIndex.map { table.rows[r][$0] }))
            }
        }
        output.sort { $0.order < $1.order }
        let anonymized = AnonymizationTable(columns: outputColumns, rows: output.map(\.row))
        let totalRows = generalized.reduce(0) { $0 + $1.rows.count }
        let loss = totalRows == 0 ? 0 : generalized.reduce(0.0) { $0 + $1.loss * Double($1.rows.count) } / Double(totalRows)
        let after = ReidentificationRisk.measure(anonymized, quasi: Array(0..<quasi.count), sensitive: sensitive == nil ? nil : quasi.count)
        return Result(table: anonymized, suppressed: suppressed, partitions: generalized.count, informationLoss: loss, before: before, after: after)
    }

    func index(of name: String, in table: AnonymizationTable) throws -> Int {
        guard let i = table.column(name) else {
            throw AnonymizationError.unknownColumn(name, available: table.columns)
        }
        return i
    }

    func diversity(_ rows: [Int], _ table: AnonymizationTable, _ sensitive: Int?) -> Int {
        guard let sensitive else { return Int.max }
        return Set(rows.map { table.rows[$0][sensitive] }).count
    }

    /// Splits `rows` at the median of the widest attribute that allows a cut; a partition with no allowed cut is a leaf.
    func split(_ rows: [Int], table: AnonymizationTable, attributes: [Attribute], sensitive: Int?, into leaves: inout [[Int]]) {
        // Attributes by normalized width, widest first.
        var widths: [(attribute: Int, width: Double)] = []
        for a in attributes.indices {
            var lo = Int.max, hi = Int.min
            for r in rows { let v = attributes[a].rank[r]; lo = min(lo, v); hi = max(hi, v) }
            let width = Double(hi - lo) / Double(max(attributes[a].distinct - 1, 1))
            if width > 0 { widths.append((a, width)) }
        }
        widths.sort { x, y in x.width != y.width ? x.width > y.width : x.attribute < y.attribute }
        for (a, _) in widths {
            let sorted = rows.sorted { attributes[a].rank[$0] != attributes[a].rank[$1] ? attributes[a].rank[$0] < attributes[a].rank[$1] : $0 < $1 }
            // Relaxed Mondrian: cut at the middle; move the cut to a value boundary when one is near, so equal values stay together.
            var cut = sorted.count / 2
            let medianRank = attributes[a].rank[sorted[cut]]
            var low = cut
            while low > 0, attributes[a].rank[sorted[low - 1]] == medianRank { low -= 1 }
            var high = cut
            while high < sorted.count, attributes[a].rank[sorted[high]] == medianRank { high += 1 }
            if low >= k && sorted.count - low >= k { cut = low } else if high >= k && sorted.count - high >= k { cut = high }
            let left = Array(sorted[..<cut]), right = Array(sorted[cut...])
            guard left.count >= k, right.count >= k, diversity(left, table, sensitive) >= l, diversity(right, table, sensitive) >= l else { continue }
            split(left, table: table, attributes: attributes, sensitive: sensitive, into: &leaves)
            split(right, table: table, attributes: attributes, sensitive: sensitive, into: &leaves)
            return
        }
        leaves.append(rows)
    }
}

/// A quasi-identifier column: its values ranked in order (numbers numerically, text lexicographically).
struct Attribute {
    let sortedValues: [String]
    /// The rank of each record's value in `sortedValues`.
    let rank: [Int]
    let numeric: Bool
    var distinct: Int { sortedValues.count }

    init(values: [String]) {
        let numbers = values.map { Double($0.trimmingCharacters(in: .whitespaces)) }
        numeric = !values.isEmpty && numbers.allSatisfy { $0 != nil }
        let unique = Array(Set(values))
        sortedValues =
            numeric ? unique.sorted { Double($0.trimmingCharacters(in: .whitespaces))! < Double($1.trimmingCharacters(in: .whitespaces))! } : unique.sorted()
        var position: [String: Int] = [:]
        for (i, v) in sortedValues.enumerated() { position[v] = i }
        rank = values.map { position[$0]! }
    }

    /// One value covering the ranks, and its normalized certainty penalty (covered span / whole span).
    func generalize(_ ranks: [Int]) -> (String, Double) {
        let lo = ranks.min()!, hi = ranks.max()!
        let penalty = distinct > 1 ? Double(hi - lo) / Double(distinct - 1) : 0
        if lo == hi { return (sortedValues[lo], 0) }
        if lo == 0 && hi == distinct - 1 && !numeric { return ("*", 1) }
        if numeric { return ("\(sortedValues[lo])-\(sortedValues[hi])", penalty) }
        // Text: a common prefix with a wildcard ("553**"), else the set when small, else the range.
        let a = Array(sortedValues[lo]), b = Array(sortedValues[hi])
        var common = 0
        while common < min(a.count, b.count), a[common] == b[common] { common += 1 }
        if common > 0, a.count == b.count { return (String(a[..<common]) + String(repeating: "*", count: a.count - common), penalty) }
        let covered = Set(ranks)
        if covered.count <= 3 { return ("{" + covered.sorted().map { sortedValues[$0] }.joined(separator: ",") + "}", penalty) }
        return ("[\(sortedValues[lo])–\(sortedValues[hi])]", penalty)
    }
}

public enum AnonymizationError: Error, Equatable, CustomStringConvertible {
    case unknownColumn(String, available: [String])

    public var description: String {
        switch self {
        case .unknownColumn(let name, let available): "no column named '\(name)'; the table has \(available.joined(separator: ", "))"
        }
    }
}
