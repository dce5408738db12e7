import Foundation
import TactTestSupport
import Testing

@testable import TactStore

/// `Store.withLock` on PostgreSQL: two stores on one database (as two servers would be) competing for
/// one named lock take turns; another name does not wait.
@Suite struct StoreLockTests {
    /// Events in the order they happened, from several threads.
    final class Timeline: @unchecked Sendable {
        private let lock = NSLock()
        private var events: [String] = []
        func add(_ event: String) { lock.withLock { events.append(event) } }
        var all: [String] { lock.withLock { events } }
    }

    @Test(
        "two holders of one named lock never overlap; a lock of another name is taken at once",
        .disabled(if: StoreBackend.postgresURL == nil, Comment(rawValue: StoreBackend.postgresSkipReason)))
    func competingHolders() throws {
        let db = try TestStore(.postgres)
        let first = try db.open(), second = try db.open()
        let timeline = Timeline()
        let group = DispatchGroup()
        let firstHolds = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0), secondAsks = DispatchSemaphore(value: 0)
        DispatchQueue.global().async(group: group) {
            try? first.withLock("tact.models") {
                timeline.add("first in")
                firstHolds.signal()
                release.wait()
                timeline.add("first out")
            }
        }
        firstHolds.wait()
        // Another name is free while the first lock is held.
        try second.withLock("tact.other") { timeline.add("other name") }
        DispatchQueue.global().async(group: group) {
            timeline.add("second asks")
            secondAsks.signal()
            try? second.withLock("tact.models") { timeline.add("second in") }
        }
        secondAsks.wait()
        // Time for the second holder to get in, were the lock not held: it must not.
        Thread.sleep(forTimeInterval: 0.3)
        release.signal()
        group.wait()
        #expect(timeline.all == ["first in", "other name", "second asks", "first out", "second in"])
    }
}
