import Foundation
import TactCore
import TactTestSupport
import Testing

@testable import TactCLI

/// tact detect, tact redact and tact anonymize on files: exit codes, streaming JSON Lines, operators
/// with keys from a 0600 file, and the anonymized table's guarantee.
@Suite(.serialized) struct PIICommandTests {
    let tmp = TemporaryDirectory()

    /// Runs the command writing to a file (`-o`, or `--output` for anonymize), and returns the exit status and what it wrote.
    func run(_ arguments: [String]) -> (status: Int32, output: String) {
        let path = tmp.file("out-\(UUID().uuidString).txt")
        let status = TactMain.run(arguments + ["--output", path])
        return (status, (try? String(contentsOfFile: path, encoding: .utf8)) ?? "")
    }

    @Test("detect --jsonl writes one line per input line with scalar offsets; a line that is not JSON exits 1 naming it")
    func detectJSONLines() throws {
        let input = tmp.write(
            "in.jsonl",
            """
            {"id": 1, "text": "Zoë: jane@example.com"}
            {"text": "nothing here"}
            {"other": "no text field"}

            """)
        let (status, output) = run(["detect", "--jsonl", "--field", "text", input])
        #expect(status == 0)
        let lines = output.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[0] == #"{"findings":[{"type":"EMAIL","start":5,"end":21,"score":1.00}]}"#)
        #expect(lines[1] == #"{"findings":[]}"#)
        let bad = tmp.write("bad.jsonl", "{\"text\": \"ok\"}\nnot json\n")
        #expect(run(["detect", "--jsonl", bad]).status == 1)
        #expect(run(["detect", "--types", "EMAIL,SHOE", input]).status == 2)
    }

    @Test("redact keeps the rest of each JSON object byte for byte; hash needs a key file of mode 0600; encrypt round-trips")
    func redactOperators() throws {
        let input = tmp.write("in.jsonl", #"{"a":[1,{"b":"c"}],"text":"card 4111 1111 1111 1111 \"ok\"","z":null}"# + "\n")
        let (status, output) = run(["redact", "--jsonl", "--field", "text", "--operator", "mask", input])
        #expect(status == 0)
        #expect(output == #"{"a":[1,{"b":"c"}],"text":"card **** **** **** 1111 \"ok\"","z":null}"# + "\n")
        let key = tmp.write("pii.key", String(repeating: "ab", count: 32))
        #expect(run(["redact", "--operator", "hash", "--key-file", key, input]).status == 2)  // readable by others
        chmod(key, 0o600)
        let text = tmp.write("t.txt", "mail jane@example.com or call +44 20 7946 0958\n")
        let hashed = run(["redact", "--operator", "hash", "--key-file", key, text])
        #expect(hashed.status == 0 && hashed.output.contains("<EMAIL:") && !hashed.output.contains("jane"))
        #expect(run(["redact", "--operator", "hash", "--key-file", key, text]).output == hashed.output)
        let sealed = run(["redact", "--operator", "encrypt", "--key-file", key, text])
        let sealedFile = tmp.write("sealed.txt", sealed.output)
        #expect(run(["redact", "--decrypt", "--key-file", key, sealedFile]).output == "mail jane@example.com or call +44 20 7946 0958\n")
        #expect(run(["redact", "--operator", "encrypt", text]).status == 2)  // no key
    }

    @Test("anonymize writes a k-anonymous, l-diverse CSV without the other columns, and names unknown columns")
    func anonymize() throws {
        var lines = ["id,name,age,zip,sex,job"]
        for i in 0..<120 { lines.append("\(i),Person \(i),\(20 + i % 45),\(10000 + i * 37),\(i % 2 == 0 ? "F" : "M"),\(["a", "b", "c", "d"][i % 4])") }
        let input = tmp.write("people.csv", lines.joined(separator: "\n") + "\n")
        let (status, output) = run(["anonymize", "--k", "6", "--l", "2", "--quasi", "age,zip,sex", "--sensitive", "job", input])
        #expect(status == 0)
        let rows = output.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows[0] == ["age", "zip", "sex", "job"])
        var classes: [[String]: [String]] = [:]
        for row in rows.dropFirst() { classes[Array(row[0..<3]), default: []].append(row[3]) }
        #expect(classes.values.allSatisfy { $0.count >= 6 && Set($0).count >= 2 })
        #expect(!output.contains("Person"))
        #expect(run(["anonymize", "--k", "2", "--quasi", "age,postcode", input]).status == 2)
    }
}
