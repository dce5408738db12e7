import Foundation
import TactCore
import TactStore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Canary persons: synthetic people planted in the store who look like any other (an ordinary-looking
/// id and a consent record), whom no legitimate request ever asks for. The Guard raises a critical
/// alert on any access to one. Their pseudonyms are kept in `DIR/guard-canaries` (mode 0600, one hex
/// pseudonym per line), which `tact serve` reads at start; their ids are not kept anywhere.
public enum GuardCanaries {
    public static func file(in directory: DataDirectory) -> String { directory.path + "/guard-canaries" }

    /// The planted canaries' pseudonyms (hex); empty if none were planted.
    public static func load(from directory: DataDirectory) throws -> Set<String> {
        let path = file(in: directory)
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return Set(text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0.count == 64 })
    }

    /// Plants `count` new canaries and returns how many are planted in all.
    @discardableResult
    public static func plant(_ count: Int, engine: Engine) throws -> Int {
        guard (1...1000).contains(count) else { throw EngineError.invalidArgument("plant between 1 and 1000 canaries at a time") }
        var system = SystemRandomNumberGenerator()
        var planted = try load(from: engine.directory)
        for _ in 0..<count {
            // An id shaped like the service's own would be best; a random one of a common shape will do.
            let id = "u" + (0..<6).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &system)) }.joined()
            try ConsentService(engine: engine).record(user: id, purposes: [.personalization], decision: .grant, note: nil)
            planted.insert(engine.pseudonymizer.pseudonym(for: id).hex)
        }
        let path = file(in: engine.directory)
        let text = planted.sorted().joined(separator: "\n") + "\n"
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { throw EngineError.invalidArgument("\(path) cannot be written") }
        defer { close(fd) }
        _ = fchmod(fd, 0o600)
        let written = text.utf8CString.withUnsafeBufferPointer { write(fd, $0.baseAddress!, $0.count - 1) }
        guard written == text.utf8.count else { throw EngineError.invalidArgument("\(path) could not be written in full") }
        try engine.store.write { w in
            try w.appendAudit(
                AuditEntry(at: Int64(Date().timeIntervalSince1970), actor: "cli", action: "guard.canaries", detail: "planted=\(count) total=\(planted.count)"))
        }
        return planted.count
    }
}
