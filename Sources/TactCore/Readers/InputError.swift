/// Bad input, located: the file, the line and the field at fault, and what to do about it.
public struct InputError: Error, CustomStringConvertible, Equatable {
    public var file: String
    public var line: Int?
    public var field: String?
    public var message: String

    public init(file: String, line: Int? = nil, field: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.field = field
        self.message = message
    }

    public var description: String {
        var where_ = file
        if let line { where_ += ":\(line)" }
        if let field { return "\(where_): field '\(field)': \(message)" }
        return "\(where_): \(message)"
    }
}
