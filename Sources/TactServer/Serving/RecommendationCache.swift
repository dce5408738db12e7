import Foundation
import NIOConcurrencyHelpers
import TactCore
import TactStore

/// Recent answers of the recommendations route, per person: a memo of a computation whose inputs are
/// the store and the model. Everything this server changes about a person (their events, their
/// consent, a Sec-GPC signal) drops that person's answers at once, a catalog change drops all, and a
/// new model makes every earlier answer stale. Commits by anyone else (the CLI, another process on
/// the same database) are seen through the store's change watcher, checked at most every
/// `watchInterval` seconds, and drop every answer.
final class RecommendationCache: Sendable {
    struct Answer: Sendable {
        /// The answer's items, already written as JSON.
        var renderedItems: [UInt8]
        var personalized: Bool
        var fallback: String?
        var modelVersion: Int
        var storedAt: Double
    }

    private struct State {
        var answers: [Pseudonym: [String: Answer]] = [:]
        /// Bytes of rendered answers held.
        var bytes = 0
        /// Bumped whenever a person's answers are forgotten, and `epoch` when all are: an answer
        /// computed across a change is not stored (it may predate the change).
        var generations: [Pseudonym: UInt64] = [:]
        var epoch: UInt64 = 0
    }

    /// Taken before computing an answer; `store` keeps the answer only if nothing was forgotten since.
    struct Ticket: Sendable, Equatable {
        var generation: UInt64
        var epoch: UInt64
    }

    let lifetime: Double
    /// Bytes of answers kept at most; past it about half the people's answers are dropped.
    let capacity: Int
    private let state = NIOLockedValueBox(State())
    private let watcher: (any StoreChangeWatcher)?
    private let watchInterval: Double
    private let lastWatch = NIOLockedValueBox<Double>(-.infinity)

    init(lifetime: Double, capacity: Int = 128 << 20, watcher: (any StoreChangeWatcher)? = nil, watchInterval: Double = 0.25) {
        self.lifetime = lifetime
        self.capacity = capacity
        self.watcher = watcher
        self.watchInterval = watchInterval
    }

    /// Drops every answer if someone committed to the store since the last look (at most one look per
    /// `watchInterval`; the request that comes due does it, the others go on).
    func noticeOutsideChanges(now: Double = ProcessInfo.processInfo.systemUptime) {
        guard let watcher else { return }
        let due = lastWatch.withLockedValue { last -> Bool in
            guard now - last >= watchInterval else { return false }
            last = now
            return true
        }
        guard due else { return }
        // If the store cannot answer, trust nothing kept.
        if (try? watcher.changedSinceLastLook()) ?? true { forgetAll() }
    }

    /// The stored answer for this person and request, if it is fresh and from the model in service.
    func answer(for person: Pseudonym, request: String, modelVersion: Int, now: Double = ProcessInfo.processInfo.systemUptime) -> Answer? {
        state.withLockedValue { s in
            guard let a = s.answers[person]?[request], a.modelVersion == modelVersion, now - a.storedAt < lifetime else { return nil }
            return a
        }
    }

    func ticket(for person: Pseudonym) -> Ticket {
        state.withLockedValue { Ticket(generation: $0.generations[person] ?? 0, epoch: $0.epoch) }
    }

    func store(_ answer: Answer, for person: Pseudonym, request: String, ticket: Ticket) {
        state.withLockedValue { s in
            guard Ticket(generation: s.generations[person] ?? 0, epoch: s.epoch) == ticket else { return }
            // Past capacity, start again: simple, and bounded memory matters more than the hit rate.
            if s.bytes + answer.renderedItems.count > capacity {
                // Past the budget, drop about half the people (in the dictionary's arbitrary order),
                // so the rest keep their answers.
                for person in s.answers.keys.prefix(max(1, s.answers.count / 2)) {
                    if let removed = s.answers.removeValue(forKey: person) { s.bytes -= removed.values.reduce(0) { $0 + $1.renderedItems.count } }
                }
                if s.bytes + answer.renderedItems.count > capacity {
                    s.answers = [:]
                    s.bytes = 0
                }
            }
            if let replaced = s.answers[person, default: [:]].updateValue(answer, forKey: request) { s.bytes -= replaced.renderedItems.count }
            s.bytes += answer.renderedItems.count
        }
    }

    /// Bytes of answers held now.
    var bytesHeld: Int { state.withLockedValue { $0.bytes } }

    /// Forgets a person's answers (their events, consent or signals changed).
    func forget(_ person: Pseudonym) {
        state.withLockedValue { s in
            if let removed = s.answers.removeValue(forKey: person) { s.bytes -= removed.values.reduce(0) { $0 + $1.renderedItems.count } }
            s.generations[person, default: 0] += 1
        }
    }

    /// Forgets every answer (the catalog changed).
    func forgetAll() {
        state.withLockedValue { s in
            s.answers = [:]
            s.bytes = 0
            s.epoch += 1
        }
    }
}
