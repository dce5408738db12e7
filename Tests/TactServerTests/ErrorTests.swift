import Foundation
import HTTPTypes
import TactCore
import Testing

@testable import TactServer

@Suite("Problem documents and limits")
struct ErrorTests {
    @Test("malformed JSON, wrong types and bad values get 400 naming the field")
    func badBodies() async throws {
        let f = try ServerFixture()
        let ingest = f.keys[.ingest]!
        let cases: [(body: String, field: String?)] = [
            ("{not json", nil),
            (#"{"events":[{"user":5,"item":"r1"}]}"#, "events[0].user"),
            (#"{"events":[{"user":"a"}]}"#, "events[0].item"),
            (#"{"events":[{"user":"a","item":"r1","kind":"hug"}]}"#, "events[0].kind"),
            (#"{"events":[{"user":"a","item":"r1","purpose":"fun"}]}"#, "events[0].purpose"),
            (#"{"events":[{"user":"a","item":"r1","timestamp":"yesterday"}]}"#, "events[0].timestamp"),
            (#"{"events":[{"user":"a","item":"r1","timestamp":true}]}"#, "events[0].timestamp"),
            (#"{"events":[{"user":"","item":"r1"}]}"#, "events[0].user"),
            (#"{"events":"all"}"#, "events"),
            (#"{"events":[]}"#, "events"),
            (#"[]"#, nil)
        ]
        try await f.test { client in
            for c in cases {
                let reply = try await client.call(.post, "/v1/events", auth: ingest, json: c.body)
                #expect(reply.status == 400, "\(c.body)")
                #expect(reply.isProblem, "\(c.body)")
                #expect(reply.json["field"] as? String == c.field, "\(c.body): \(reply.body)")
                #expect(reply.json["status"] as? Int == 400)
                #expect((reply.json["instance"] as? String)?.hasPrefix("urn:tact:request:") == true)
                #expect(reply.headers[.requestID] != nil)
            }
            let empty = try await client.call(.post, "/v1/events", auth: ingest)
            #expect(empty.status == 400)
            let badK = try await client.call(.get, "/v1/people/p0/recommendations?k=0", auth: f.keys[.recommend]!)
            #expect(badK.status == 400)
            #expect(badK.json["field"] as? String == "k")
        }
    }

    @Test("unknown items and routes get 404 problems; a batch with one bad event writes nothing")
    func unknowns() async throws {
        let f = try ServerFixture()
        try await f.test { client in
            let similar = try await client.call(.get, "/v1/items/nope/similar", auth: f.keys[.recommend]!)
            #expect(similar.status == 404)
            #expect(similar.json["field"] as? String == "item")
            let item = try await client.call(.get, "/v1/items/nope", auth: f.keys[.catalog]!)
            #expect(item.status == 404)
            #expect(try await client.call(.delete, "/v1/items/nope", auth: f.keys[.catalog]!).status == 404)
            let route = try await client.call(.get, "/v2/anything")
            #expect(route.status == 404)
            #expect(route.isProblem)
            let before = try f.engine.statistics().interactions
            let batch = #"{"events":[{"user":"p0","item":"r1","kind":"play"},{"user":"p0","item":"r2","kind":"bogus"}]}"#
            let reply = try await client.call(.post, "/v1/events", auth: f.keys[.ingest]!, json: batch)
            #expect(reply.json["field"] as? String == "events[1].kind")
            #expect(try f.engine.statistics().interactions == before)
        }
    }

    @Test("the catalog can be created, updated, listed and deleted; deleted items are no longer recommended")
    func catalog() async throws {
        let f = try ServerFixture()
        let catalog = f.keys[.catalog]!
        try await f.test { client in
            let created = try await client.call(.put, "/v1/items/new1", auth: catalog, json: #"{"title":"New","tags":["jazz"]}"#)
            #expect(created.status == 201)
            let updated = try await client.call(.put, "/v1/items/new1", auth: catalog, json: #"{"title":"Newer","tags":["jazz"]}"#)
            #expect(updated.status == 200)
            #expect(try await client.call(.get, "/v1/items/new1", auth: catalog).json["title"] as? String == "Newer")
            var seen: [String] = []
            var after = ""
            while true {
                let page = try await client.call(.get, "/v1/items?limit=10" + (after.isEmpty ? "" : "&after=\(after)"), auth: catalog)
                let ids = ((page.json["items"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String }
                seen += ids
                guard let next = page.json["next"] as? String else { break }
                after = next
            }
            #expect(seen.count == 43)
            #expect(seen == seen.sorted())
            let recs = try await client.call(.get, "/v1/people/p0/recommendations?k=3", auth: f.keys[.recommend]!)
            let top = try #require(RealTimeTests.ids(recs).first)
            let deleted = try await client.call(.delete, "/v1/items/\(top)", auth: catalog)
            #expect(deleted.status == 200)
            let again = try await client.call(.get, "/v1/people/p0/recommendations?k=3", auth: f.keys[.recommend]!)
            #expect(!RealTimeTests.ids(again).contains(top))
            #expect(RealTimeTests.ids(again).count == 3)
            let bad = try await client.call(.put, "/v1/items/x", auth: catalog, json: #"{"tags":[""]}"#)
            #expect(bad.json["field"] as? String == "tags[0]")
        }
    }

    @Test("per-key rate limits answer 429 with Retry-After; oversized bodies 413")
    func limits() async throws {
        let f = try ServerFixture {
            $0.requestsPerSecond = 0.001; $0.burst = 3; $0.maxBodyBytes = 2_048
        }
        try await f.test { client in
            let key = f.keys[.recommend]!
            for _ in 0..<3 { #expect(try await client.call(.get, "/v1/people/p0/recommendations", auth: key).status == 200) }
            let limited = try await client.call(.get, "/v1/people/p0/recommendations", auth: key)
            #expect(limited.status == 429)
            #expect(limited.isProblem)
            #expect(limited.headers[.retryAfter] != nil)
            // Another key has its own bucket.
            #expect(try await client.call(.get, "/v1/people/p0/recommendations", auth: f.admin).status == 200)
            let big = #"{"events":["# + Array(repeating: #"{"user":"p0","item":"r1","kind":"play"}"#, count: 100).joined(separator: ",") + "]}"
            let tooLarge = try await client.call(.post, "/v1/events", auth: f.keys[.ingest]!, json: big)
            #expect(tooLarge.status == 413)
            #expect(tooLarge.isProblem)
        }
    }

    @Test("health and metrics are public and report requests, events and the model")
    func operations() async throws {
        let f = try ServerFixture()
        try await f.test { client in
            #expect(try await client.call(.get, "/health/live").status == 200)
            let ready = try await client.call(.get, "/health/ready")
            #expect(ready.json["status"] as? String == "ready")
            _ = try await client.call(
                .post, "/v1/events", auth: f.keys[.ingest]!, json: #"{"events":[{"user":"p0","item":"r1"},{"user":"nobody","item":"r1"}]}"#)
            _ = try await client.call(.get, "/v1/people/p0/recommendations", auth: f.keys[.recommend]!)
            let metrics = try await client.call(.get, "/metrics")
            #expect(metrics.status == 200)
            for line in [
                "tact_events_accepted_total 1", "tact_events_refused_total 1", "tact_model_version 1",
                #"tact_http_requests_total{method="GET",route="/v1/people/{person}/recommendations",status="200"} 1"#,
                "tact_http_request_duration_seconds_bucket", "tact_model_age_seconds"
            ] {
                #expect(metrics.body.contains(line), "\(line)")
            }
            // The process's memory, split where it could grow: the heap's used and free parts, and SQLite's.
            for gauge in ["tact_process_resident_bytes", "tact_heap_in_use_bytes", "tact_heap_free_bytes", "tact_sqlite_memory_bytes"] {
                let value = metrics.body.split(separator: "\n").first { $0.hasPrefix(gauge + " ") }.flatMap { Int64($0.split(separator: " ")[1]) }
                #expect(value.map { $0 > 0 || gauge == "tact_heap_free_bytes" } ?? false, "\(gauge): \(String(describing: value))")
            }
            #expect(!metrics.body.contains("p0"), "no person id in metrics")
        }
    }
}

@Suite struct TimeoutTests {
    @Test("work past the request timeout is answered 503 with Retry-After, as a problem document")
    func timeout() async throws {
        let f = try ServerFixture { $0.requestTimeoutSeconds = 0.000_001 }
        let events = (0..<5_000).map { #"{"user":"p\#($0 % 40)","item":"r\#($0 % 20)","kind":"play"}"# }.joined(separator: ",")
        try await f.test { client in
            let reply = try await client.call(.post, "/v1/events", auth: f.keys[.ingest]!, json: #"{"events":[\#(events)]}"#)
            #expect(reply.status == 503)
            #expect(reply.isProblem)
            #expect(reply.headers[.retryAfter] != nil)
        }
    }
}

@Suite struct MethodTests {
    @Test("a known path with another method gets 405 with Allow; an unknown path 404")
    func methodNotAllowed() async throws {
        let f = try ServerFixture()
        try await f.test { client in
            let trace = try await client.call(.init("TRACE")!, "/v1/items/r1")
            #expect(trace.status == 405)
            #expect(trace.isProblem)
            #expect(trace.headers[.allow] == "DELETE, GET, PUT")
            let post = try await client.call(.post, "/health/live")
            #expect(post.status == 405)
            #expect(post.headers[.allow] == "GET")
            #expect(try await client.call(.get, "/v1/items/r1/nothing").status == 404)
        }
    }
}
