import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Named places between the steps of work that must survive a crash. With `TACT_CRASH_AT=NAME` in its
/// environment, a process stops dead on reaching NAME, as `kill -9` would stop it: no error is thrown, no
/// cleanup runs, nothing is flushed. The crash tests (Tests/TactEngineTests/ErasureCrashTests.swift) run
/// `tact` that way and check what the next process finds. Unset, reaching a point costs one comparison.
public enum CrashPoint: String, CaseIterable, Sendable {
    /// The erasure request is stored, with the person it is removing; nothing is removed yet.
    case erasureRecorded = "erasure.recorded"
    /// The saved models no longer hold the person; their key and data are still there.
    case erasureModelPatched = "erasure.model-patched"
    /// The person's key is shredded; their events are still stored.
    case erasureKeyShredded = "erasure.key-shredded"
    /// The store no longer holds the person and the request is completed; the caller has not been answered
    /// (and a server has not yet reloaded its model).
    case erasureStored = "erasure.stored"

    /// The exit status of a process stopped at a crash point (that of a process killed by SIGKILL).
    public static let exitStatus: Int32 = 137

    private static let armed = ProcessInfo.processInfo.environment["TACT_CRASH_AT"]

    /// Stops the process here if `TACT_CRASH_AT` names this point.
    public func reach() {
        if Self.armed == rawValue { _exit(Self.exitStatus) }
    }
}
