/// The rules every identifier follows (a person's id, an item's id, a campaign's id, a tag), wherever it comes
/// in: an HTTP path or body, an imported file, a catalog file. A control character (U+0000–U+001F,
/// U+007F–U+009F) is never part of one: a NUL would end the text early in C-level code and so make two
/// different ids name one record, and the others make ids that look alike but differ, or break the
/// separators used in keys.
public enum Identifier {
    /// What is wrong with `text` as an identifier, in words fit for an error message, or nil when it is fine.
    /// `maximumBytes` bounds its UTF-8 length.
    public static func problem(_ text: some StringProtocol, maximumBytes: Int) -> String? {
        if text.isEmpty { return "is empty" }
        if text.utf8.count > maximumBytes { return "is longer than \(maximumBytes) bytes" }
        if let bad = text.unicodeScalars.first(where: isControl) {
            return "contains the control character U+\(String(bad.value, radix: 16, uppercase: true).leftPadded(to: 4)); remove it"
        }
        return nil
    }

    /// Whether `text` holds a control character.
    public static func containsControl(_ text: some StringProtocol) -> Bool {
        text.unicodeScalars.contains(where: isControl)
    }

    /// C0 and C1 control characters and DEL (Unicode's general category Cc).
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
