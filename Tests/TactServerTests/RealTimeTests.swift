import Foundation
import Hummingbird
import HummingbirdTesting
import TactCore
import TactEngine
import TactGuard
import Testing

@testable import TactServer

@Suite("Real-time recommendations and model swaps")
struct RealTimeTests {
    static func ids(_ reply: Reply) -> [String] {
        ((reply.json["items"] as? [[String: Any]]) ?? []).compactMap { ($0["item"] as? [String: Any])?["id"] as? String }
    }

    @Test("an accepted event changes the person's next recommendations with no retraining")
    func foldIn() async throws {
        let f = try ServerFixture()
        let recommend = f.keys[.recommend]!
        try await f.test { client in
            #expect(
                try await client.call(.post, "/v1/people/fan/consent", auth: f.keys[.subjects]!, json: #"{"decisions":{"personalization":"grant"}}"#).status
                    == 200)
            let before = try await client.call(.get, "/v1/people/fan/recommendations?k=5", auth: recommend)
            #expect(before.json["personalized"] as? Bool == false)
            let version = f.api.modelVersion
            let events = (0..<6).map { #"{"user":"fan","item":"j\#($0)","kind":"play"}"# }.joined(separator: ",")
            let posted = try await client.call(.post, "/v1/events", auth: f.keys[.ingest]!, json: #"{"events":[\#(events)]}"#)
            #expect(posted.json["accepted"] as? Int == 6)
            let after = try await client.call(.get, "/v1/people/fan/recommendations?k=5", auth: recommend)
            #expect(after.json["personalized"] as? Bool == true)
            let recommended = Self.ids(after)
            #expect(recommended.count == 5)
            #expect(recommended.allSatisfy { $0.hasPrefix("j") && !["j0", "j1", "j2", "j3", "j4", "j5"].contains($0) }, "\(recommended)")
            let first = try #require((after.json["items"] as? [[String: Any]])?.first)
            let reason = try #require((first["reasons"] as? [[String: Any]])?.first)
            #expect(reason["kind"] as? String == "because-you-had")
            #expect(((reason["item"] as? [String: Any])?["id"] as? String)?.hasPrefix("j") == true)
            #expect(f.api.modelVersion == version, "no retraining happened")
            #expect((after.json["recommendationId"] as? String)?.hasPrefix("r_") == true)
        }
    }

    @Test("recommendations hammered during two model swaps never fail")
    func hammerDuringSwap() async throws {
        let f = try ServerFixture()
        // The workers read the 40 people round-robin, in id order: a batch job's shape (an app key doing it would be
        // stopped for reading ids in order, GuardRoleTests), so the key says so.
        let recommend = try APIKeyService(engine: f.engine).create(name: "hammer", scopes: [.recommend], role: RoleAssignment(.batch)).key
        let version = f.api.modelVersion
        try await f.test { client in
            try await withThrowingTaskGroup(of: [Int].self) { group in
                for worker in 0..<4 {
                    group.addTask {
                        var statuses: [Int] = []
                        for i in 0..<150 {
                            let reply = try await client.call(.get, "/v1/people/p\((worker * 7 + i) % 40)/recommendations?k=5", auth: recommend)
                            statuses.append(reply.status)
                            if reply.status == 200 && RealTimeTests.ids(reply).count != 5 { statuses.append(-1) }
                        }
                        return statuses
                    }
                }
                group.addTask {
                    _ = try await f.api.retrain()
                    _ = try await f.api.retrain()
                    return []
                }
                var all: [Int] = []
                for try await statuses in group { all += statuses }
                #expect(all.count == 600)
                #expect(all.allSatisfy { $0 == 200 }, "statuses other than 200: \(all.filter { $0 != 200 })")
            }
        }
        #expect(f.api.modelVersion == version + 2)
    }

    @Test("the background trainer retrains after N accepted events and swaps the model in")
    func backgroundRetrain() async throws {
        let f = try ServerFixture {
            $0.retrainAfterEvents = 5; $0.port = 0
        }
        let ingest = f.keys[.ingest]!, admin = f.admin
        try await f.application().test(.live) { client in
            let start = try await client.call(.get, "/v1/model", auth: admin)
            let version = try #require(start.json["version"] as? Int)
            let events = (0..<5).map { #"{"user":"p2","item":"r\#($0)","kind":"like"}"# }.joined(separator: ",")
            #expect(try await client.call(.post, "/v1/events", auth: ingest, json: #"{"events":[\#(events)]}"#).json["accepted"] as? Int == 5)
            var now = version
            for _ in 0..<100 where now == version {
                try await Task.sleep(for: .milliseconds(100))
                now = try await client.call(.get, "/v1/model", auth: admin).json["version"] as? Int ?? version
            }
            #expect(now == version + 1)
            let metrics = try await client.call(.get, "/metrics")
            #expect(metrics.body.contains("tact_model_retrainings_total 1"))
        }
    }
}
