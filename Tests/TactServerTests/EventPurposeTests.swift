import Foundation
import TactCore
import TactEngine
import Testing

@testable import TactServer

/// Which purpose an event serves is the operator's decision (issue 22, point 10): a client cannot claim
/// `essential` to store events of people who refused consent.
@Suite struct EventPurposeTests {
    static let refuser = #"{"events":[{"user":"n-refuser","item":"r1","kind":"play","purpose":"essential"}]}"#

    @Test("an ingest key cannot claim 'essential' for a person who refused consent; nothing is stored")
    func essentialIsNotTheClientsToClaim() async throws {
        let f = try ServerFixture()
        try ConsentService(engine: f.engine).record(user: "n-refuser", purposes: Purpose.allCases.filter { $0 != .essential }, decision: .deny, note: nil)
        let before = try f.engine.statistics().interactions
        try await f.test { client in
            let reply = try await client.call(.post, "/v1/events", auth: f.keys[.ingest]!, json: Self.refuser)
            #expect(reply.status == 403 && reply.json["field"] as? String == "events[0].purpose")
            #expect((reply.json["detail"] as? String ?? "").contains("--event-purpose"))
            // Purposes that need consent are still claimed as before, and checked against it.
            let analytics = try await client.call(
                .post, "/v1/events", auth: f.keys[.ingest]!,
                json: #"{"events":[{"user":"n-refuser","item":"r1","kind":"play","purpose":"analytics"}]}"#)
            #expect(analytics.status == 200 && analytics.json["accepted"] as? Int == 0 && analytics.json["refused"] as? Int == 1)
        }
        #expect(try f.engine.statistics().interactions == before)
    }

    @Test("the operator lets a kind claim a purpose; other kinds still may not")
    func operatorAllowsPerKind() async throws {
        var policy = EventPurposePolicy.standard
        try policy.allow("purchase=essential")
        #expect(policy.permits(.essential, kind: .purchase) && !policy.permits(.essential, kind: .play))
        #expect(throws: EventPurposePolicy.RuleError.self) { try policy.allow("purchase") }
        #expect(throws: EventPurposePolicy.RuleError.self) { try policy.allow("nope=essential") }
        #expect(throws: EventPurposePolicy.RuleError.self) { try policy.allow("play=nope") }
        let f = try ServerFixture { $0.eventPurposes = policy }
        try await f.test { client in
            let purchase = try await client.call(
                .post, "/v1/events", auth: f.keys[.ingest]!,
                json: #"{"events":[{"user":"p1","item":"r1","kind":"purchase","purpose":"essential"}]}"#)
            #expect(purchase.status == 200 && purchase.json["accepted"] as? Int == 1)
            // The stored event records the purpose it was collected under; the person's export says so.
            let export = try await client.call(.get, "/v1/people/p1/export", auth: f.keys[.subjects]!)
            let purposes = (export.json["interactions"] as? [[String: Any]] ?? []).compactMap { $0["purpose"] as? String }
            #expect(purposes.filter { $0 == "essential" }.count == 1 && purposes.filter { $0 == "personalization" }.count == purposes.count - 1)
            let play = try await client.call(.post, "/v1/events", auth: f.keys[.ingest]!, json: Self.refuser)
            #expect(play.status == 403)
        }
    }
}
