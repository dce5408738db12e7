import Foundation
import TactCore
import TactEngine
import TactStore
import Testing

@testable import TactServer

@Suite("The answer cache")
struct RecommendationCacheTests {
    @Test("changes made through the server reach the next answer at once, with the cache on")
    func invalidation() async throws {
        let f = try ServerFixture { $0.recommendationCacheSeconds = 600 }
        let recommend = f.keys[.recommend]!, subjects = f.keys[.subjects]!
        try await f.test { client in
            #expect(try await client.call(.post, "/v1/people/fan/consent", auth: subjects, json: #"{"decisions":{"personalization":"grant"}}"#).status == 200)
            let cold = try await client.call(.get, "/v1/people/fan/recommendations?k=5", auth: recommend)
            #expect(cold.json["fallbackReason"] as? String == "no-history")
            let again = try await client.call(.get, "/v1/people/fan/recommendations?k=5", auth: recommend)
            #expect(RealTimeTests.ids(again) == RealTimeTests.ids(cold))
            #expect(again.json["recommendationId"] as? String != cold.json["recommendationId"] as? String, "every answer has its own id")

            // New events: the next answer is personalized.
            let events = (0..<6).map { #"{"user":"fan","item":"j\#($0)","kind":"play"}"# }.joined(separator: ",")
            #expect(try await client.call(.post, "/v1/events", auth: f.keys[.ingest]!, json: #"{"events":[\#(events)]}"#).status == 200)
            let personal = try await client.call(.get, "/v1/people/fan/recommendations?k=5", auth: recommend)
            #expect(personal.json["personalized"] as? Bool == true)

            // Withdrawn consent: the next answer is not.
            #expect(
                try await client.call(.post, "/v1/people/fan/consent", auth: subjects, json: #"{"decisions":{"personalization":"withdraw"}}"#).status == 200)
            let withdrawn = try await client.call(.get, "/v1/people/fan/recommendations?k=5", auth: recommend)
            #expect(withdrawn.json["personalized"] as? Bool == false)

            // A deleted item leaves every cached answer.
            let p0 = try await client.call(.get, "/v1/people/p0/recommendations?k=3", auth: recommend)
            let top = try #require(RealTimeTests.ids(p0).first)
            #expect(try await client.call(.delete, "/v1/items/\(top)", auth: f.keys[.catalog]!).status == 200)
            #expect(!RealTimeTests.ids(try await client.call(.get, "/v1/people/p0/recommendations?k=3", auth: recommend)).contains(top))

            // A different request (k) is answered on its own.
            #expect(RealTimeTests.ids(try await client.call(.get, "/v1/people/p0/recommendations?k=2", auth: recommend)).count == 2)
        }
    }

    @Test("a commit made outside the server (the CLI) reaches the next answer within the watch interval")
    func outsideChanges() async throws {
        let f = try ServerFixture {
            $0.recommendationCacheSeconds = 600; $0.cacheWatchSeconds = 0.2
        }
        let recommend = f.keys[.recommend]!
        try await f.test { client in
            #expect(try await client.call(.get, "/v1/people/p0/recommendations", auth: recommend).json["personalized"] as? Bool == true)
            // As 'tact consent deny' would: its own connection, straight into the store.
            let cli = try DataDirectory(path: f.engine.directory.path, environment: [:]).open()
            try ConsentService(engine: cli).record(user: "p0", purposes: [.personalization], decision: .deny)
            // Within the watch interval the kept answer may still be served; the unit test below pins that
            // window with a clock of its own. Here, over HTTP on a machine that may be loaded, the commit must show.
            let shown = try await eventually {
                try await client.call(.get, "/v1/people/p0/recommendations", auth: recommend).json["personalized"] as? Bool == false
            }
            #expect(shown, "a consent denied by another process never reached the kept answers")
        }
    }

    @Test("an answer computed across a change is not kept")
    func ticket() {
        let cache = RecommendationCache(lifetime: 60)
        let p = Pseudonym(bytes: Array(repeating: 1, count: 32))
        let answer = RecommendationCache.Answer(renderedItems: Array("[]".utf8), personalized: false, fallback: "no-history", modelVersion: 1, storedAt: 0)
        let before = cache.ticket(for: p)
        cache.forget(p)
        cache.store(answer, for: p, request: "k", ticket: before)
        #expect(cache.answer(for: p, request: "k", modelVersion: 1, now: 1) == nil)
        cache.store(answer, for: p, request: "k", ticket: cache.ticket(for: p))
        #expect(cache.answer(for: p, request: "k", modelVersion: 1, now: 1) != nil)
        #expect(cache.answer(for: p, request: "k", modelVersion: 2, now: 1) == nil, "a new model makes it stale")
        #expect(cache.answer(for: p, request: "k", modelVersion: 1, now: 61) == nil, "past its lifetime")
        let stale = cache.ticket(for: p)
        cache.forgetAll()
        cache.store(answer, for: p, request: "k", ticket: stale)
        #expect(cache.answer(for: p, request: "k", modelVersion: 1, now: 1) == nil)
    }
}

@Suite struct RecommendationCacheLimitTests {
    static func answer(bytes: Int, at: Double = 0) -> RecommendationCache.Answer {
        .init(renderedItems: Array(repeating: 0x20, count: bytes), personalized: true, fallback: nil, modelVersion: 1, storedAt: at)
    }

    static func person(_ i: Int) -> Pseudonym {
        Pseudonym(bytes: Array(repeating: UInt8(i % 256), count: 29) + [UInt8(i / 256 % 256), UInt8(i / 65_536 % 256), 0])
    }

    @Test("kept answers stay within their byte budget")
    func budget() {
        let cache = RecommendationCache(lifetime: 60, capacity: 10_000)
        for i in 0..<50 {
            let p = Self.person(i)
            cache.store(Self.answer(bytes: 100), for: p, request: "k", ticket: cache.ticket(for: p))
            #expect(cache.bytesHeld <= 10_000)
        }
        #expect(cache.answer(for: Self.person(49), request: "k", modelVersion: 1, now: 1) != nil)
        #expect(cache.bytesHeld >= 5_000, "going over the budget keeps about half, not nothing")
    }

    @Test("request keys count toward the budget: answers to unique, long filter lists cannot grow memory past it")
    func keysCount() {
        let capacity = 200_000
        let cache = RecommendationCache(lifetime: 60, capacity: capacity)
        let p = Self.person(1)
        for i in 0..<700 {
            // What a request with ~8 KB of tag, notTag and exclude values makes of its key.
            let key = "k=10&t=[\(i)]&x=" + String(repeating: "x", count: 8_000)
            cache.store(Self.answer(bytes: 50), for: p, request: key, ticket: cache.ticket(for: p))
        }
        #expect(cache.bytesHeld <= capacity)
        #expect(cache.answersHeld * 8_000 <= capacity, "\(cache.answersHeld) answers with 8 KB keys are held under a \(capacity)-byte budget")
        #expect(cache.answersHeld > 0)
    }

    @Test("expired answers are swept out, not kept until the budget is full")
    func expiredAreSwept() {
        let cache = RecommendationCache(lifetime: 10, capacity: 1 << 20)
        for i in 0..<100 {
            let p = Self.person(i)
            cache.store(Self.answer(bytes: 100, at: 0), for: p, request: "k", ticket: cache.ticket(for: p))
        }
        #expect(cache.answersHeld == 100)
        let late = Self.person(500)
        cache.store(Self.answer(bytes: 100, at: 11), for: late, request: "k", ticket: cache.ticket(for: late))
        #expect(cache.answersHeld == 1)
        #expect(cache.bytesHeld == RecommendationCache.cost(of: Self.answer(bytes: 100), key: "k") + RecommendationCache.personOverhead)
    }

    @Test("forgetting many people keeps bounded bookkeeping, and an answer computed across a forget is still not kept")
    func forgottenPeopleAreBounded() {
        let cache = RecommendationCache(lifetime: 60, capacity: 1 << 20)
        let p = Self.person(7)
        let ticket = cache.ticket(for: p)
        for i in 0..<(RecommendationCache.maximumGenerations + 10) { cache.forget(Self.person(i)) }
        cache.store(Self.answer(bytes: 10), for: p, request: "k", ticket: ticket)
        #expect(cache.answer(for: p, request: "k", modelVersion: 1, now: 1) == nil)
        #expect(cache.generationsHeld <= RecommendationCache.maximumGenerations)
    }
}

/// A change watcher the test flips by hand.
final class StubWatcher: StoreChangeWatcher, @unchecked Sendable {
    var changed = false
    func changedSinceLastLook() throws -> Bool {
        defer { changed = false }
        return changed
    }
}

@Suite struct RecommendationCacheWatchTests {
    @Test("outside commits drop every kept answer at the next look, and looks come at most every interval")
    func watchWindow() {
        let watcher = StubWatcher()
        let cache = RecommendationCache(lifetime: 600, watcher: watcher, watchInterval: 0.25)
        let p = Pseudonym(bytes: Array(repeating: 3, count: 32))
        let answer = RecommendationCache.Answer(renderedItems: Array("[]".utf8), personalized: true, fallback: nil, modelVersion: 1, storedAt: 0)
        cache.noticeOutsideChanges(now: 0)  // the first look
        cache.store(answer, for: p, request: "k", ticket: cache.ticket(for: p))
        watcher.changed = true
        cache.noticeOutsideChanges(now: 0.1)
        #expect(cache.answer(for: p, request: "k", modelVersion: 1, now: 0.1) != nil, "not due yet: the window the docs state")
        cache.noticeOutsideChanges(now: 0.3)
        #expect(cache.answer(for: p, request: "k", modelVersion: 1, now: 0.3) == nil, "due: the commit drops everything")
        cache.store(answer, for: p, request: "k", ticket: cache.ticket(for: p))
        cache.noticeOutsideChanges(now: 0.6)
        #expect(cache.answer(for: p, request: "k", modelVersion: 1, now: 0.6) != nil, "no commit, nothing dropped")
    }
}
