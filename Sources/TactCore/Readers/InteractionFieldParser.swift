/// Turns the text fields of one input record into an `IncomingInteraction`, or an `InputError`
/// that names the file, line and field at fault. Shared by every interaction format.
struct InteractionFieldParser {
    let file: String
    let defaultKind: InteractionKind
    static let maximumIdLength = 512

    func identifier(_ text: String?, field: String, line: Int) throws -> String {
        guard let text else { throw InputError(file: file, line: line, field: field, message: "is missing") }
        let t = text.trimmingWhitespace()
        if let problem = Identifier.problem(t, maximumBytes: Self.maximumIdLength) { throw InputError(file: file, line: line, field: field, message: problem) }
        return t
    }

    func kind(_ text: String?, line: Int) throws -> InteractionKind {
        guard let text, !text.isEmpty else { return defaultKind }
        guard let k = InteractionKind(rawValue: text.trimmingWhitespace().lowercased()) else {
            throw InputError(file: file, line: line, field: "kind", message: "unknown kind '\(text)'; use one of \(InteractionKind.names)")
        }
        return k
    }

    func value(_ text: String?, line: Int) throws -> Double? {
        guard let text else { return nil }
        let t = text.trimmingWhitespace()
        if t.isEmpty { return nil }
        guard let v = Double(t), v.isFinite else {
            throw InputError(file: file, line: line, field: "value", message: "'\(text)' is not a number")
        }
        return v
    }

    func value(number: Double, line: Int) throws -> Double {
        guard number.isFinite else { throw InputError(file: file, line: line, field: "value", message: "is not a finite number") }
        return number
    }

    func timestamp(_ text: String?, line: Int) throws -> Int64 {
        guard let text else { throw InputError(file: file, line: line, field: "timestamp", message: "is missing") }
        switch TimestampParser.parse(text) {
        case .success(let t): return t
        case .failure(let e): throw InputError(file: file, line: line, field: "timestamp", message: e.message)
        }
    }

    func purpose(_ text: String?, line: Int) throws -> Purpose? {
        guard let text, !text.trimmingWhitespace().isEmpty else { return nil }
        guard let p = Purpose(rawValue: text.trimmingWhitespace().lowercased()) else {
            throw InputError(file: file, line: line, field: "purpose", message: "unknown purpose '\(text)'; use one of \(Purpose.names)")
        }
        return p
    }

    func flag(_ text: String?, field: String, line: Int) throws -> Bool {
        guard let text else { return false }
        switch text.trimmingWhitespace().lowercased() {
        case "", "0", "false", "no": return false
        case "1", "true", "yes": return true
        default: throw InputError(file: file, line: line, field: field, message: "'\(text)' is not a flag; use 1 or 0, true or false")
        }
    }

    func context(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }
}
