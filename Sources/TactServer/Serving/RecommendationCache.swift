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
///
/// Memory is bounded by `capacity`, which counts each answer's key and bookkeeping as well as its JSON (a
/// request's filter lists make its key), and expired answers are swept out once per lifetime, so unique
/// requests cannot grow the server past its budget.
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
        /// Bytes held: every answer's cost (`cost(of:key:)`) and every person's entry.
        var bytes = 0
        /// When expired answers were last swept out.
        var sweptAt = -Double.infinity
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
    /// Bytes kept at most (answers, their keys and bookkeeping); past it about half the people's answers are dropped.
    let capacity: Int
    /// What one kept answer costs besides its JSON and its key (the dictionary entry, the answer's fields).
    static let answerOverhead = 96
    /// What one person with answers costs besides them (their pseudonym and dictionary).
    static let personOverhead = 96
    /// Forgotten persons remembered (for in-flight tickets) at most; past it every ticket is renewed.
    static let maximumGenerations = 1 << 16

    static func cost(of answer: Answer, key: String) -> Int { answer.renderedItems.count + key.utf8.count + answerOverhead }

    private static func cost(of answers: [String: Answer]) -> Int {
        answers.reduce(personOverhead) { $0 + cost(of: $1.value, key: $1.key) }
    }
    private let state = NIOLockedValueBox(State())
    private let watcher: (any StoreChangeWatcher)?
    private let looks: LookSchedule

    init(lifetime: Double, capacity: Int = 128 << 20, watcher: (any StoreChangeWatcher)? = nil, watchInterval: Double = 0.25) {
        self.lifetime = lifetime
        self.capacity = capacity
        self.watcher = watcher
        looks = LookSchedule(interval: watchInterval)
    }

    /// Drops every answer if someone committed to the store since the last look (at most one look per
    /// `watchInterval`; the request that comes due does it, the others go on).
    func noticeOutsideChanges(now: Double = ProcessInfo.processInfo.systemUptime) {
        guard let watcher, looks.isDue(now: now) else { return }
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
        let cost = Self.cost(of: answer, key: request)
        state.withLockedValue { s in
            guard Ticket(generation: s.generations[person] ?? 0, epoch: s.epoch) == ticket else { return }
            // One answer bigger than a tenth of the budget is not worth what it would push out.
            guard cost + Self.personOverhead <= capacity / 10 else { return }
            if answer.storedAt - s.sweptAt >= lifetime { sweep(&s, now: answer.storedAt) }
            let added = cost + (s.answers[person] == nil ? Self.personOverhead : 0)
            if s.bytes + added > capacity {
                // Past the budget, drop about half the people (in the dictionary's arbitrary order),
                // so the rest keep their answers: bounded memory matters more than the hit rate.
                for person in s.answers.keys.prefix(max(1, s.answers.count / 2)) {
                    if let removed = s.answers.removeValue(forKey: person) { s.bytes -= Self.cost(of: removed) }
                }
            }
            if s.answers[person] == nil { s.bytes += Self.personOverhead }
            if let replaced = s.answers[person, default: [:]].updateValue(answer, forKey: request) { s.bytes -= Self.cost(of: replaced, key: request) }
            s.bytes += cost
        }
    }

    /// Removes every answer older than the lifetime.
    private func sweep(_ s: inout State, now: Double) {
        s.sweptAt = now
        for (person, answers) in s.answers {
            let fresh = answers.filter { now - $0.value.storedAt < lifetime }
            guard fresh.count < answers.count else { continue }
            s.bytes -= Self.cost(of: answers)
            if fresh.isEmpty {
                s.answers[person] = nil
            } else {
                s.answers[person] = fresh
                s.bytes += Self.cost(of: fresh)
            }
        }
    }

    /// Bytes held now (answers, their keys and bookkeeping).
    var bytesHeld: Int { state.withLockedValue { $0.bytes } }

    /// Forgotten persons remembered now (for in-flight tickets).
    var generationsHeld: Int { state.withLockedValue { $0.generations.count } }

    /// Answers held now.
    var answersHeld: Int { state.withLockedValue { $0.answers.values.reduce(0) { $0 + $1.count } } }

    /// Forgets a person's answers (their events, consent or signals changed).
    func forget(_ person: Pseudonym) {
        state.withLockedValue { s in
            if let removed = s.answers.removeValue(forKey: person) { s.bytes -= Self.cost(of: removed) }
            if s.generations.count >= Self.maximumGenerations {
                // Remembering every person ever forgotten would grow without end: start over and renew every ticket.
                s.generations = [:]
                s.epoch += 1
            }
            s.generations[person, default: 0] += 1
        }
    }

    /// Forgets every answer (the catalog changed).
    func forgetAll() {
        state.withLockedValue { s in
            s.answers = [:]
            s.bytes = 0
            s.epoch += 1
            s.generations = [:]
        }
    }
}
