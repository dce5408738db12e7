import Foundation
import HummingbirdTesting
import Logging
import TactCore
import TactEngine
import TactRecommend
import TactStore
import Testing

@testable import TactServer

/// Anonymous sessions, playlists, and the diversity and exploration parameters of recommendations.
@Suite struct SessionAndPlaylistTests {
    @Test("a session's recommendations come from its items alone, and leave the store and the logs as they were")
    func anonymousSessions() async throws {
        let fixture = try ServerFixture()
        let recommend = fixture.keys[.recommend]!
        let handler = CollectingLogHandler()
        let logger = Logger(label: "test") { _ in handler }
        let before = try fixture.engine.statistics()
        let auditBefore = try fixture.engine.store.read { try $0.lastAuditRow()?.id ?? 0 }
        let requestsBefore = try fixture.engine.store.read { try $0.subjectRequests(reference: nil).count }
        try await fixture.api.application(logger: logger).test(.router) { client in
            let reply = try await client.call(.post, "/v1/sessions/recommendations", auth: recommend, json: #"{"items":["j3","j7","j11"],"k":5}"#)
            #expect(reply.status == 200 && reply.json["personalized"] as? Bool == true)
            let items = (reply.json["items"] as? [[String: Any]] ?? []).compactMap { ($0["item"] as? [String: Any])?["id"] as? String }
            #expect(items.count == 5 && items.allSatisfy { $0.hasPrefix("j") }, "jazz in, jazz out: \(items)")
            #expect(!items.contains("j3") && !items.contains("j7"), "the session's own items are left out")
            let unknown = try await client.call(.post, "/v1/sessions/recommendations", auth: recommend, json: #"{"items":["nope"],"k":3}"#)
            #expect(unknown.status == 200 && unknown.json["fallbackReason"] as? String == "no-known-items")
            let playlist = try await client.call(.post, "/v1/sessions/playlist", auth: recommend, json: #"{"items":["j3","j7"],"length":8}"#)
            #expect(playlist.status == 200 && (playlist.json["items"] as? [Any])?.count == 8)
            #expect(try await client.call(.post, "/v1/sessions/recommendations", auth: recommend, json: #"{"items":[]}"#).status == 400)
            let tooMany = "{\"items\":[" + (0...500).map { "\"x\($0)\"" }.joined(separator: ",") + "]}"
            #expect(try await client.call(.post, "/v1/sessions/recommendations", auth: recommend, json: tooMany).status == 400)
            #expect(try await client.call(.post, "/v1/sessions/recommendations", json: #"{"items":["j3"]}"#).status == 401)
            #expect(try await client.call(.post, "/v1/sessions/recommendations", auth: fixture.keys[.ingest]!, json: #"{"items":["j3"]}"#).status == 403)
            let metrics = try await client.call(.get, "/metrics")
            #expect(metrics.body.contains("tact_session_requests_total 3"), "the only trace: a count of the answered ones")
        }
        await fixture.api.flushAudit()
        let after = try fixture.engine.statistics()
        #expect(after.subjects == before.subjects && after.interactions == before.interactions && after.consentRecords == before.consentRecords)
        #expect(try fixture.engine.store.read { try $0.lastAuditRow()?.id ?? 0 } == auditBefore, "no audit entry")
        #expect(try fixture.engine.store.read { try $0.subjectRequests(reference: nil).count } == requestsBefore)
        let lines = handler.lines.withLockedValue { $0 }
        #expect(!lines.isEmpty)
        #expect(!lines.contains { $0.contains("j3") || $0.contains("j7") || $0.contains("j11") }, "no session item in the logs")
    }

    @Test("a person's playlist: the familiar share, no repeats, the same within a week; audited; not personalized without consent")
    func personalPlaylist() async throws {
        let fixture = try ServerFixture()
        let recommend = fixture.keys[.recommend]!
        try await fixture.test { client in
            let first = try await client.call(.get, "/v1/people/p0/playlist?length=12&familiarShare=0.25", auth: recommend)
            #expect(first.status == 200 && first.json["personalized"] as? Bool == true)
            let entries = first.json["items"] as? [[String: Any]] ?? []
            #expect(entries.count == 12)
            #expect(entries.filter { $0["familiar"] as? Bool == true }.count == 3)
            let ids = entries.compactMap { ($0["item"] as? [String: Any])?["id"] as? String }
            #expect(Set(ids).count == 12, "no repeats: \(ids)")
            #expect(!ids.contains { $0.hasPrefix("ad-") }, "no sponsored item in a playlist")
            // p0 had the rock items r_i with i % 3 != 0: familiar ones come from those, discoveries never do.
            let had = Set((0..<20).filter { $0 % 3 != 0 }.map { "r\($0)" })
            for entry in entries {
                let id = ((entry["item"] as? [String: Any])?["id"] as? String) ?? ""
                #expect((entry["familiar"] as? Bool == true) == had.contains(id), "\(id)")
            }
            let second = try await client.call(.get, "/v1/people/p0/playlist?length=12&familiarShare=0.25", auth: recommend)
            #expect(
                (second.json["items"] as? [[String: Any]] ?? []).compactMap { ($0["item"] as? [String: Any])?["id"] as? String } == ids,
                "the same week, the same playlist")
            let stranger = try await client.call(.get, "/v1/people/n0/playlist?length=5", auth: recommend)
            #expect(stranger.status == 200 && stranger.json["personalized"] as? Bool == false)
            let seeded = try await client.call(.get, "/v1/items/j2/playlist?length=6", auth: recommend)
            let seededIDs = (seeded.json["items"] as? [[String: Any]] ?? []).compactMap { ($0["item"] as? [String: Any])?["id"] as? String }
            #expect(seededIDs.first == "j2" && seededIDs.count == 6)
            #expect(try await client.call(.get, "/v1/items/nope/playlist", auth: recommend).status == 404)
            #expect(try await client.call(.get, "/v1/people/p0/playlist?smoothness=2", auth: recommend).status == 400)
        }
        await fixture.api.flushAudit()
        let p0 = fixture.engine.pseudonymizer.pseudonym(for: "p0")
        let audited = try fixture.engine.store.read { r in try r.auditEntries(of: try r.subjectRow(for: p0)!) }
        #expect(audited.contains { $0.action == "GET /v1/people/{person}/playlist" && $0.purpose == .personalization })
    }

    @Test("the week decides the seed: next week's playlist differs, this week's does not")
    func weeklyCadence() throws {
        let fixture = try ServerFixture()
        let recommender = try #require(fixture.api.state.registry.current.recommender)
        let maker = PlaylistMaker(recommender: recommender)
        let p1 = fixture.engine.pseudonymizer.pseudonym(for: "p1")
        let monday: Int64 = 1_795_996_800  // Monday 2026-11-30 00:00 UTC
        #expect(PlaylistMaker.week(of: monday) == PlaylistMaker.week(of: monday + 6 * 86_400 + 86_399))
        #expect(PlaylistMaker.week(of: monday) == PlaylistMaker.week(of: monday - 1) + 1)
        let options = PlaylistOptions(length: 15, familiarShare: 0.3)
        let a = try #require(try maker.forPerson(p1, options: options, now: monday + 3_600)).entries.map(\.item.id)
        let b = try #require(try maker.forPerson(p1, options: options, now: monday + 5 * 86_400)).entries.map(\.item.id)
        #expect(a == b)
        var changed = false
        for week in 1...6 where try maker.forPerson(p1, options: options, now: monday + Int64(week) * 7 * 86_400)!.entries.map(\.item.id) != a {
            changed = true
        }
        #expect(changed, "a later week brings another playlist")
    }

    @Test("items had within the last week are left out of a person's playlist, familiar or not")
    func recentItemsLeftOut() throws {
        let fixture = try ServerFixture()
        let now = Int64(Date().timeIntervalSince1970)
        // p4 plays r1 and r2 again yesterday (they were among its favourites since 2023).
        _ = try Ingestor(engine: fixture.engine).ingest(
            [
                IncomingInteraction(user: "p4", item: "r1", kind: .play, timestamp: now - 86_400),
                IncomingInteraction(user: "p4", item: "r2", kind: .play, timestamp: now - 86_400)
            ], options: IngestOptions())
        let recommender = try #require(fixture.api.state.registry.current.recommender)
        let p4 = fixture.engine.pseudonymizer.pseudonym(for: "p4")
        let playlist = try #require(
            try PlaylistMaker(recommender: recommender).forPerson(p4, options: PlaylistOptions(length: 25, familiarShare: 0.8), now: now))
        let ids = playlist.entries.map(\.item.id)
        #expect(!ids.contains("r1") && !ids.contains("r2"), "\(ids)")
        #expect(playlist.entries.contains { $0.familiar }, "older favourites still come back")
    }

    @Test("recommendations take diversity, caps and exploration: a new item reaches people through its tags, saying so")
    func diversityAndExploration() async throws {
        let fixture = try ServerFixture { $0.recommendationCacheSeconds = 60 }
        let recommend = fixture.keys[.recommend]!
        try await fixture.test { client in
            let put = try await client.call(.put, "/v1/items/r-new", auth: fixture.keys[.catalog]!, json: #"{"title":"Brand new rock","tags":["rock"]}"#)
            #expect(put.status == 200 || put.status == 201)
            let plain = try await client.call(.get, "/v1/people/p0/recommendations?k=10", auth: recommend)
            let plainIDs = (plain.json["items"] as? [[String: Any]] ?? []).compactMap { ($0["item"] as? [String: Any])?["id"] as? String }
            #expect(!plainIDs.contains("r-new"), "the model has never seen it")
            let explored = try await client.call(.get, "/v1/people/p0/recommendations?k=10&exploration=0.2", auth: recommend)
            let items = explored.json["items"] as? [[String: Any]] ?? []
            let fresh = try #require(items.first { ($0["item"] as? [String: Any])?["id"] as? String == "r-new" })
            #expect((fresh["reasons"] as? [[String: Any]])?.first?["kind"] as? String == "new-for-you")
            #expect(items.count == 10 && (items.first?["item"] as? [String: Any])?["id"] as? String != "r-new", "the best match leads")
            let capped = try await client.call(.get, "/v1/people/p0/recommendations?k=10&maxPerTag=3", auth: recommend)
            #expect(capped.status == 200 && (capped.json["items"] as? [Any])?.count == 10, "the popular fill tops up a capped list")
            let diverse = try await client.call(.get, "/v1/people/p0/recommendations?k=10&mmrLambda=0.3", auth: recommend)
            #expect(diverse.status == 200)
            #expect(try await client.call(.get, "/v1/people/p0/recommendations?mmrLambda=1.5", auth: recommend).status == 400)
        }
    }
}
