import Foundation

@testable import TactCLI

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One capture of standard output at a time in this process.
private let captureLock = NSLock()

/// Runs a command in-process with standard output (file descriptor 1) sent to a file; returns its exit
/// status and what it printed. Other tests printing meanwhile may add lines: look for what the
/// command prints, never for the whole text.
func runCapturingOutput(_ arguments: [String]) -> (status: Int32, output: String) {
    captureLock.lock()
    defer { captureLock.unlock() }
    let path = NSTemporaryDirectory() + "tact-cli-output-" + UUID().uuidString
    _ = FileManager.default.createFile(atPath: path, contents: nil)
    defer { try? FileManager.default.removeItem(atPath: path) }
    fflush(nil)
    let saved = dup(1)
    let file = open(path, O_WRONLY | O_TRUNC)
    dup2(file, 1)
    close(file)
    let status = TactMain.run(arguments)
    fflush(nil)
    dup2(saved, 1)
    close(saved)
    return (status, (try? String(contentsOfFile: path, encoding: .utf8)) ?? "")
}

/// The last line of `output` that parses as a JSON object.
func lastJSONObject(_ output: String) -> [String: Any]? {
    for line in output.split(separator: "\n").reversed() {
        if let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] { return object }
    }
    return nil
}
