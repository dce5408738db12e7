import Foundation

// text-literal FILE Type.name OUTPUT: writes OUTPUT, a Swift file declaring `extension Type { static let name = … }`
// whose value is FILE's text, byte for byte, as a raw string literal. Run by the TextLiterals build plugin.

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("text-literal: \(message)\n".utf8))
    exit(1)
}

let arguments = CommandLine.arguments
guard arguments.count == 4 else { fail("usage: text-literal FILE Type.name OUTPUT") }
let (inputPath, property, outputPath) = (arguments[1], arguments[2], arguments[3])
let parts = property.split(separator: ".")
guard parts.count == 2 else { fail("'\(property)' is not Type.name") }

guard let data = FileManager.default.contents(atPath: inputPath) else { fail("cannot read \(inputPath)") }
guard let text = String(data: data, encoding: .utf8) else { fail("\(inputPath) is not UTF-8") }
// A literal holds tabs and newlines; other control characters (and a carriage return, which a multi-line
// literal would turn into a newline) would not come back as they were.
if let bad = text.unicodeScalars.first(where: { ($0.value < 0x20 && $0 != "\t" && $0 != "\n") || $0.value == 0x7F }) {
    fail("\(inputPath) holds the control character U+\(String(bad.value, radix: 16, uppercase: true)); only tabs and newlines fit a literal")
}

// The delimiter needs more `#` than any run in the text that could close the literal or start an escape.
var hashes = "#"
while text.contains("\"\"\"\(hashes)") || text.contains("\\\(hashes)") { hashes += "#" }

// The newlines just after the opening and just before the closing delimiter are not part of the value.
let source = """
    // Generated at build time by the TextLiterals plugin from \((inputPath as NSString).lastPathComponent).
    extension \(parts[0]) {
        static let \(parts[1]) = \(hashes)\"\"\"
    \(text)
    \"\"\"\(hashes)
    }

    """
do {
    try Data(source.utf8).write(to: URL(fileURLWithPath: outputPath), options: .atomic)
} catch {
    fail("cannot write \(outputPath): \(error.localizedDescription)")
}
