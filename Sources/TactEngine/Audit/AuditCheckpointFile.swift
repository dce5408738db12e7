import Foundation
import TactStore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The file outside the database that every audit checkpoint is appended to, one line each. Removing the
/// newest audit entries and the database's checkpoints together still leaves this file naming them.
struct AuditCheckpointFile {
    let path: String

    /// Appends one checkpoint and flushes it to disk.
    func append(_ checkpoint: AuditCheckpoint) throws {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0o600)
        guard fd >= 0 else { throw AuditError.checkpointFileUnwritable(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        let bytes = Array((checkpoint.line + "\n").utf8)
        guard write(fd, bytes, bytes.count) == bytes.count, fsync(fd) == 0 else {
            throw AuditError.checkpointFileUnwritable(path: path, reason: String(cString: strerror(errno)))
        }
    }

    /// Every line: a checkpoint, or nil for a line that is not one (with its line number). Empty when there is no file.
    func read() throws -> [(line: Int, checkpoint: AuditCheckpoint?)] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AuditError.checkpointFileUnreadable(path: path, reason: "permission denied")
        }
        return String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            .filter { !$0.element.isEmpty }
            .map { (line: $0.offset + 1, checkpoint: AuditCheckpoint(line: $0.element)) }
    }
}
