import Foundation

/// The last time a store could not write (a full disk, a file at its size limit, read-only storage), kept so
/// that readiness can say so. It is forgotten at the next write that succeeds, or `memorySeconds` after it,
/// so a server whose disk was freed is ready again without waiting for a write.
public final class WriteFaults: @unchecked Sendable {
    public static let memorySeconds = 15.0
    private let lock = NSLock()
    private var last: (at: Date, reason: String)?  // guarded by lock

    public init() {}

    func record(_ reason: String) {
        lock.lock()
        defer { lock.unlock() }
        last = (Date(), reason)
    }

    func clear() {
        lock.lock()
        defer { lock.unlock() }
        last = nil
    }

    /// Why the store could not write, if that happened in the last `memorySeconds` and no write succeeded since.
    public var recent: String? {
        lock.lock()
        defer { lock.unlock() }
        guard let last, Date().timeIntervalSince(last.at) < Self.memorySeconds else { return nil }
        return last.reason
    }
}
