import Foundation
import PackagePlugin

/// Compiles text files into Swift string literals at build time. A target that uses this plugin lists them in
/// `Resources/text-literals.txt`, one a line: the file (relative to `Resources/`), then the static property that
/// holds its text, as `Type.name`. Blank lines and lines starting with `#` are skipped. For each file the
/// `text-literal` tool writes `extension Type { static let name = """…""" }` into the build directory, so the
/// repository holds only the text file itself.
///
/// SwiftPM's own `embedInCode` compiles a file as a `[UInt8]` array literal, which takes minutes to type-check
/// for the OpenAPI document and far longer for the name lists; a string literal of the same text takes a
/// fraction of a second.
@main struct TextLiterals: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let resources = target.directoryURL.appending(path: "Resources")
        let manifest = resources.appending(path: "text-literals.txt")
        let tool = try context.tool(named: "text-literal")
        return try Self.entries(in: manifest).map { entry in
            let input = resources.appending(path: entry.file)
            let output = context.pluginWorkDirectoryURL.appending(path: "\(entry.property)+Literal.swift")
            return .buildCommand(
                displayName: "Compiling \(entry.file) into \(entry.property)",
                executable: tool.url,
                arguments: [input.path(percentEncoded: false), entry.property, output.path(percentEncoded: false)],
                inputFiles: [input, manifest],
                outputFiles: [output])
        }
    }

    /// The manifest's lines: a file and the `Type.name` that holds its text.
    static func entries(in manifest: URL) throws -> [(file: String, property: String)] {
        let text = try String(contentsOf: manifest, encoding: .utf8)
        return try text.split(separator: "\n").compactMap { line in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { return nil }
            let fields = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count == 2, fields[1].split(separator: ".").count == 2 else {
                throw TextLiteralsError(message: "\(manifest.path): '\(trimmed)' is not 'FILE Type.name'")
            }
            return (String(fields[0]), String(fields[1]))
        }
    }
}

struct TextLiteralsError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
