import Foundation
import Testing

@testable import TactPrivacy

/// The name lists NameRecognizer compiles in are the resource files, and those files are in the shape
/// NameRecognizer reads: names in lowercase ASCII letters, one a line, sorted, each once.
@Suite struct NameListsTests {
    static let resources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/TactPrivacy/Resources")

    @Test("the compiled-in lists are Resources/first-names.txt and surnames.txt, byte for byte")
    func matchResourceFiles() throws {
        for (file, list) in [("first-names.txt", NameLists.firstNames), ("surnames.txt", NameLists.surnames)] {
            let bytes = try Data(contentsOf: Self.resources.appendingPathComponent(file))
            #expect(Data(list.utf8) == bytes, "the TextLiterals plugin did not copy \(file) byte for byte")
        }
    }

    @Test("each list is names in lowercase ASCII letters, one a line, sorted and without repeats")
    func shape() {
        for list in [NameLists.firstNames, NameLists.surnames] {
            #expect(list.hasSuffix("\n"))
            let names = list.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
            #expect(names.count > 5_000)
            #expect(names.allSatisfy { !$0.isEmpty && $0.utf8.allSatisfy { (0x61...0x7A).contains($0) } })
            #expect(zip(names, names.dropFirst()).allSatisfy { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        }
    }
}
