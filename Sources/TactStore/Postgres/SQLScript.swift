import Foundation

/// Splits a script of SQL statements at the semicolons that end them (not those inside quoted text or
/// `$$`-quoted function bodies): PostgreSQL's extended protocol takes one statement at a time.
enum SQLScript {
    static func statements(_ script: String) -> [String] {
        var result: [String] = []
        var current = ""
        var inQuote = false
        var inDollar = false
        var previous: Character = " "
        for c in script {
            if c == "'" && !inDollar { inQuote.toggle() }
            if c == "$" && previous == "$" && !inQuote { inDollar.toggle() }
            if c == ";" && !inQuote && !inDollar {
                let statement = current.trimmingCharacters(in: .whitespacesAndNewlines)
                if !statement.isEmpty { result.append(statement) }
                current = ""
            } else {
                current.append(c)
            }
            previous = c == "$" && previous == "$" ? " " : c
        }
        let last = current.trimmingCharacters(in: .whitespacesAndNewlines)
        if !last.isEmpty { result.append(last) }
        return result
    }
}
