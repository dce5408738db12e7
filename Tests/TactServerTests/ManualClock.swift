import Synchronization

/// A wall clock that moves only when a test moves it: `ServerSettings.clock` for tests that drive the Guard's
/// windows without sleeping.
final class ManualClock: Sendable {
    private let seconds: Mutex<Int64>

    init(_ start: Int64 = 1_800_000_000) { seconds = Mutex(start) }

    var now: Int64 { seconds.withLock { $0 } }

    func advance(by delta: Int64) { seconds.withLock { $0 += delta } }

    /// For `ServerSettings.clock`.
    var read: @Sendable () -> Int64 { { [self] in now } }
}
