extension DecodingError {
    /// The field at fault as a path such as `events[2].kind` (for a missing key, the key's own path);
    /// nil when the fault is the whole document.
    public var fieldPath: String? {
        let keys: [any CodingKey]
        switch self {
        case .keyNotFound(let key, let ctx): keys = ctx.codingPath + [key]
        case .typeMismatch(_, let ctx), .valueNotFound(_, let ctx), .dataCorrupted(let ctx): keys = ctx.codingPath
        @unknown default: keys = []
        }
        let path = keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        let trimmed = path.hasPrefix(".") ? String(path.dropFirst()) : path
        return trimmed.isEmpty ? nil : trimmed
    }
}
