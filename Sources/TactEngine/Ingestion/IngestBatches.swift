import Foundation
import TactCore
import TactPrivacy

/// Records read ahead of the store, with their people and items numbered and the new people pseudonymized.
struct IngestBatch: Sendable {
    var events: [IncomingInteraction] = []
    /// Each event's person: numbered from 0 in order of first appearance in the input.
    var people: [Int] = []
    /// Each event's item: numbered from 0 in order of first appearance in the input.
    var items: [Int] = []
    /// The people first seen in this batch, in order of number: their pseudonyms, and whether one of
    /// their events in this batch has free text (their keys are then looked up with the others).
    var newPeople: [(pseudonym: Pseudonym, withText: Bool)] = []
    /// The ids of the items first seen in this batch, in order of number.
    var newItems: [String] = []
}

/// Reads records into batches of `Ingestor.lookupChunk`. Raw user ids stay in its dictionary, in
/// memory, for the length of the import only; they go no further than the batch's events.
struct IngestBatcher: Sendable {
    let pseudonymizer: Pseudonymizer
    private var people: [String: Int] = [:]
    private var items: [String: Int] = [:]

    init(pseudonymizer: Pseudonymizer) { self.pseudonymizer = pseudonymizer }

    /// The next batch, or nil when `read` has no more records.
    mutating func next(_ read: () throws -> IncomingInteraction?) throws -> IngestBatch? {
        var batch = IngestBatch()
        batch.events.reserveCapacity(Ingestor.lookupChunk)
        batch.people.reserveCapacity(Ingestor.lookupChunk)
        batch.items.reserveCapacity(Ingestor.lookupChunk)
        let firstNewPerson = people.count
        while batch.events.count < Ingestor.lookupChunk, let event = try read() {
            let person: Int
            if let known = people[event.user] {
                person = known
                if person >= firstNewPerson, event.context != nil { batch.newPeople[person - firstNewPerson].withText = true }
            } else {
                person = people.count
                people[event.user] = person
                batch.newPeople.append((pseudonymizer.pseudonym(for: event.user), event.context != nil))
            }
            let item: Int
            if let known = items[event.item] {
                item = known
            } else {
                item = items.count
                items[event.item] = item
                batch.newItems.append(event.item)
            }
            batch.events.append(event)
            batch.people.append(person)
            batch.items.append(item)
        }
        return batch.events.isEmpty ? nil : batch
    }
}

/// Batches handed from the thread that reads them to the thread that stores them, at most `capacity`
/// waiting: reading, validating and pseudonymizing overlap with the store's work.
final class IngestBatchQueue: @unchecked Sendable {
    private let capacity: Int
    private let condition = NSCondition()
    private var waiting: [IngestBatch] = []  // guarded by condition
    private var finished = false  // guarded by condition: the reader is done (at the end or failed)
    private var failure: (any Error)?  // guarded by condition
    private var stopped = false  // guarded by condition: the taker wants no more

    init(capacity: Int) { self.capacity = capacity }

    /// Reads `batcher`'s batches from `read` on a thread of its own until the end, a failure or `stop()`.
    /// The reader is touched by that thread only, until `waitUntilFinished()` returns.
    static func start(
        capacity: Int, batcher: IngestBatcher, reader: any InteractionReader
    ) -> IngestBatchQueue {
        let queue = IngestBatchQueue(capacity: capacity)
        let handedOver = HandedOver(reader)
        let thread = Thread {
            var batcher = batcher
            do {
                while let batch = try batcher.next({ try handedOver.value.next() }) {
                    guard queue.put(batch) else { break }
                }
                queue.finish(failure: nil)
            } catch {
                queue.finish(failure: error)
            }
        }
        thread.name = "tact-import-reader"
        thread.start()
        return queue
    }

    /// Waits for room; false when the taker stopped.
    private func put(_ batch: IngestBatch) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while waiting.count >= capacity, !stopped { condition.wait() }
        if stopped { return false }
        waiting.append(batch)
        condition.broadcast()
        return true
    }

    private func finish(failure: (any Error)?) {
        condition.lock()
        defer { condition.unlock() }
        finished = true
        self.failure = failure
        condition.broadcast()
    }

    /// The next batch in the order read; nil at the end; throws what the reader threw, after the batches before it.
    func take() throws -> IngestBatch? {
        condition.lock()
        defer { condition.unlock() }
        while waiting.isEmpty, !finished { condition.wait() }
        if waiting.isEmpty {
            if let failure { throw failure }
            return nil
        }
        condition.broadcast()
        return waiting.removeFirst()
    }

    /// Tells the reader to stop, and waits until it has (and no longer touches its reader).
    func stopAndWait() {
        condition.lock()
        defer { condition.unlock() }
        stopped = true
        condition.broadcast()
        while !finished { condition.wait() }
    }
}

/// A value handed to another thread, which alone touches it from then on.
private struct HandedOver<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
