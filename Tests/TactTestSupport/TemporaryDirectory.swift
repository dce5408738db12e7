import Foundation

/// A fresh directory under the system's temporary folder, removed when the value is released.
public final class TemporaryDirectory: @unchecked Sendable {
    public let path: String

    public init(_ label: String = "tact-test") {
        path = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("\(label)-\(UUID().uuidString)").path
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes text (UTF-8) to a file in the directory and returns its path.
    @discardableResult
    public func write(_ name: String, _ text: String) -> String {
        write(name, bytes: Array(text.utf8))
    }

    /// Writes raw bytes to a file in the directory and returns its path.
    @discardableResult
    public func write(_ name: String, bytes: [UInt8]) -> String {
        let file = path + "/" + name
        let dir = (file as NSString).deletingLastPathComponent
        try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: file, contents: Data(bytes))
        return file
    }

    public func file(_ name: String) -> String { path + "/" + name }
}

/// Whether `needle` occurs anywhere in the bytes of `file` (false if the file is absent).
public func fileContains(_ file: String, _ needle: String) -> Bool {
    guard let data = FileManager.default.contents(atPath: file) else { return false }
    return data.range(of: Data(needle.utf8)) != nil
}

/// Whether these bytes occur anywhere in `file` (false if the file is absent).
public func fileContains(_ file: String, bytes: [UInt8]) -> Bool {
    guard let data = FileManager.default.contents(atPath: file) else { return false }
    return data.range(of: Data(bytes)) != nil
}
