/// How the bytes of a text file are to be read.
public enum TextEncoding: Sendable {
    /// UTF-8; invalid sequences are an error that names the line and field.
    case utf8
    /// ISO-8859-1, one byte per character (MovieLens 100K titles).
    case latin1

    func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        switch self {
        case .utf8:
            // ASCII needs no validation (and most ids, numbers and kinds are ASCII).
            if !bytes.contains(where: { $0 >= 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
            return String(validating: bytes, as: UTF8.self)
        case .latin1:
            if !bytes.contains(where: { $0 >= 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
            var s = String.UnicodeScalarView()
            for b in bytes { s.append(Unicode.Scalar(b)) }
            return String(s)
        }
    }
}
