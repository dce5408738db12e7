import Foundation
import NIOConcurrencyHelpers
import TactCore

/// Recent answers of the recommendations route, per person, for `ServerSettings.recommendationCacheSeconds`.
/// Off by default. Everything this server changes about a person (their events, their consent, a
/// Sec-GPC signal) drops that person's answers at once, a catalog change drops all, and a new model
/// makes every earlier answer stale; a change made elsewhere (the CLI, another server) shows after
/// at most the cache's lifetime.
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
        var count = 0
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
    let capacity: Int
    private let state = NIOLockedValueBox(State())

    init(lifetime: Double, capacity: Int = 200_000) {
        self.lifetime = lifetime
        self.capacity = capacity
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
            if s.count >= capacity {
                s.answers = [:]
                s.count = 0
            }
            if s.answers[person, default: [:]].updateValue(answer, forKey: request) == nil { s.count += 1 }
        }
    }

    /// Forgets a person's answers (their events, consent or signals changed).
    func forget(_ person: Pseudonym) {
        state.withLockedValue { s in
            if let removed = s.answers.removeValue(forKey: person) { s.count -= removed.count }
            s.generations[person, default: 0] += 1
        }
    }

    /// Forgets every answer (the catalog changed).
    func forgetAll() {
        state.withLockedValue { s in
            s.answers = [:]
            s.count = 0
            s.epoch += 1
        }
    }
}
