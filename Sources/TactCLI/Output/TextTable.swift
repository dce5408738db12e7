/// A plain text table with aligned columns; numbers right-aligned.
struct TextTable {
    var header: [String]
    var rows: [[String]] = []

    init(_ header: String...) { self.header = header }

    mutating func add(_ cells: String...) { rows.append(cells) }

    func render(indent: String = "  ") -> String {
        let all = [header] + rows
        let widths = header.indices.map { c in all.map { c < $0.count ? $0[c].count : 0 }.max() ?? 0 }
        func isNumber(_ s: String) -> Bool { !s.isEmpty && s.allSatisfy { "0123456789,.-%×".contains($0) } }
        func line(_ cells: [String]) -> String {
            var parts: [String] = []
            for (c, w) in widths.enumerated() {
                let cell = c < cells.count ? cells[c] : ""
                let pad = String(repeating: " ", count: max(0, w - cell.count))
                parts.append(isNumber(cell) && c > 0 ? pad + cell : cell + pad)
            }
            return indent + parts.joined(separator: "  ").replacingTrailingSpaces()
        }
        var out = [line(header), indent + widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")]
        out += rows.map(line)
        return out.joined(separator: "\n")
    }
}

private extension String {
    func replacingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
