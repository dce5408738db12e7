import ArgumentParser
import Foundation
import TactCore
import TactPrivacy

struct DetectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "detect",
        abstract: "Find personal data in text: e-mail addresses, phone numbers, cards, IBANs, IPs, names, addresses and more.",
        discussion: """
            Reads FILE (or standard input) line by line and prints each finding: line, offsets (Unicode \
            scalars, end exclusive), type and score. With --jsonl --field NAME it reads JSON Lines and \
            writes one JSON line per input line: {"findings": [{"type", "start", "end", "score"}]}, offsets \
            into that field's text. Memory does not grow with the input. Values are shown masked unless \
            --show-values. See docs/pii.md.
            """)

    @OptionGroup var options: PIIOptions
    @Flag(help: "Show the values found (by default they are masked).") var showValues = false

    func run() throws {
        let detector = try options.detector()
        let stream = try LineStream(path: options.input)
        var out = try options.destination()
        let jsonl = options.jsonl, field = options.field, input = options.input
        var value: [UInt8] = [], scratch = PIIScratch()
        let findingsOpen = Self.findingsOpen, findingsClose = Self.findingsClose, typeAndStart = Self.typeAndStart
        let endKey = Self.endKey, scoreKey = Self.scoreKey
        try stream.forEachLine { line, number in
            if jsonl {
                do {
                    try JSONStringField.withValue(of: field, in: line, scratch: &value) { detector.detect(utf8: $0, scratch: &scratch) }
                } catch {
                    throw InputError(file: input, line: number, message: "\(error); each line must be a JSON object")
                }
                out.write(findingsOpen)
                for (k, f) in scratch.findings.enumerated() {
                    if k > 0 { out.append(0x2C) }
                    out.write(typeAndStart[f.type.ordinal])
                    out.writeInteger(f.start)
                    out.write(endKey)
                    out.writeInteger(f.end)
                    out.write(scoreKey)
                    out.writeHundredths(f.score)
                    out.append(0x7D)
                }
                out.write(findingsClose)
            } else {
                for f in detector.detect(utf8: line) {
                    let value = String(decoding: line[f.byteStart..<f.byteEnd], as: UTF8.self)
                    out.write("\(number):\(f.start)-\(f.end)\t\(f.type.rawValue)\t\(String(format: "%.2f", f.score))\t\(showValues ? value : masked(value))\n")
                }
            }
        }
        out.flush()
    }

    static let findingsOpen = Array(#"{"findings":["#.utf8), findingsClose = Array("]}\n".utf8)
    /// `{"type":"EMAIL","start":` for each type, by `PIIType.ordinal`.
    static let typeAndStart = PIIType.allCases.map { Array(#"{"type":"\#($0.rawValue)","start":"#.utf8) }
    static let endKey = Array(#","end":"#.utf8), scoreKey = Array(#","score":"#.utf8)

    /// The first and last character, the rest as dots.
    func masked(_ value: String) -> String {
        guard value.count > 2 else { return String(repeating: "•", count: value.count) }
        return "\(value.first!)\(String(repeating: "•", count: value.count - 2))\(value.last!)"
    }
}

struct RedactCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "redact",
        abstract: "Replace personal data in text: redact, replace with the type, mask, keyed hash, or reversible encryption.",
        discussion: """
            Streams FILE (or standard input) to standard output with each finding replaced by --operator \
            (per type with --operator-for TYPE=OPERATOR). hash and encrypt need a key: TACT_PII_KEY (64 hex \
            digits) or --key-file (mode 0600). --decrypt restores what encrypt produced. With --jsonl only \
            --field is changed, the rest of each object kept byte for byte. --report prints counts per \
            type on standard error. See docs/pii.md.
            """)

    @OptionGroup var options: PIIOptions
    @Option(help: "The operator: redact, replace, mask, hash or encrypt.") var `operator`: PIIOperator = .replace
    @Option(help: ArgumentHelp("A different operator for one type, e.g. EMAIL=hash (repeatable).", valueName: "TYPE=OPERATOR")) var operatorFor: [String] = []
    @Option(help: ArgumentHelp("A file holding the 64-hex-digit key (mode 0600).", valueName: "FILE")) var keyFile: String?
    @Flag(help: "Decrypt what --operator encrypt produced, instead of redacting.") var decrypt = false
    @Flag(help: "Print how many values of each type were replaced, on standard error.") var report = false

    func run() throws {
        var perType: [PIIType: PIIOperator] = [:]
        for item in operatorFor {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let type = PIIType(name: parts[0]), let op = PIIOperator(rawValue: parts[1]) else {
                throw ValidationError("--operator-for '\(item)': use TYPE=OPERATOR, e.g. EMAIL=hash")
            }
            perType[type] = op
        }
        let redactor = PIIRedactor(detector: try options.detector(), defaultOperator: `operator`, operators: perType, key: try piiKey(file: keyFile))
        let needsKey = ([`operator`] + perType.values).contains { $0 == .hash || $0 == .encrypt } || decrypt
        if needsKey && redactor.key == nil { throw ValidationError(PIIOperatorError.missingKey.description) }
        let stream = try LineStream(path: options.input)
        var out = try options.destination()
        var counts: [PIIType: Int] = [:]
        try stream.forEachLine { line, number in
            if options.jsonl {
                guard let (value, range) = try wrap(number, { try JSONStringField.locate(options.field, in: line) }) else {
                    out.write(line); out.write("\n"); return
                }
                let replaced = try transform(value, counts: &counts)
                out.write(line[..<range.lowerBound])
                out.write(jsonStringLiteral(replaced.utf8))
                out.write(line[range.upperBound...])
            } else {
                out.write(try transform(Array(line), counts: &counts).utf8)
            }
            out.write("\n")
        }
        out.flush()
        if report {
            var t = TextTable("type", "replaced")
            for type in PIIType.allCases where counts[type, default: 0] > 0 { t.add(type.rawValue, grouped(counts[type]!)) }
            FileHandle.standardError.write(Data((t.render() + "\n").utf8))
        }

        func transform(_ bytes: [UInt8], counts: inout [PIIType: Int]) throws -> String {
            if decrypt { return try redactor.decrypt(String(decoding: bytes, as: UTF8.self)) }
            return try bytes.withUnsafeBufferPointer { b in
                let findings = redactor.detector.detect(utf8: b)
                for f in findings { counts[f.type, default: 0] += 1 }
                return try redactor.apply(findings, to: b)
            }
        }

        func wrap<T>(_ number: Int, _ body: () throws -> T) throws -> T {
            do { return try body() } catch let error as JSONStringField.Failure {
                throw InputError(file: options.input, line: number, message: "\(error.message); each line must be a JSON object")
            }
        }
    }
}

extension PIIOperator: ExpressibleByArgument {}
