import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import TactCore
import TactEngine
import TactGuard
import TactRecommend
import TactTestSupport
import Testing

@testable import TactServer

@Suite("Data-subject rights over HTTP")
struct RightsRoutesTests {
    static func token(_ client: any TestClientProtocol, _ f: ServerFixture, _ person: String) async throws -> String {
        let reply = try await client.call(.post, "/v1/people/\(person)/tokens", auth: f.keys[.subjects]!)
        return try #require(reply.json["token"] as? String)
    }

    /// The item factors the server is serving now.
    static func servedItemFactors(_ f: ServerFixture) throws -> FactorMatrix {
        let recommender = try #require(f.api.state.registry.current.recommender)
        guard let serving = recommender.model as? ALSServing else { throw CancellationError() }
        return serving.model.itemFactors
    }

    @Test("the person's own token or a subjects key exports; others are refused; CSV on request")
    func export() async throws {
        let f = try ServerFixture()
        try await f.test { client in
            let token = try await Self.token(client, f, "p1")
            let mine = try await client.call(.get, "/v1/people/p1/export", auth: token)
            #expect(mine.status == 200 && mine.contentType == "application/json")
            #expect((mine.json["interactions"] as? [Any])?.count ?? 0 > 0)
            #expect((mine.json["recommendations"] as? [[String: Any]])?.first?["reasons"] != nil)
            #expect(((mine.json["profile"] as? [String: Any])?["summary"] as? String)?.contains("jazz") == true)
            #expect(try await client.call(.get, "/v1/people/p2/export", auth: token).status == 403)
            #expect(try await client.call(.get, "/v1/people/p1/export", auth: f.keys[.recommend]!).status == 403)
            #expect(try await client.call(.get, "/v1/people/p1/export", auth: f.keys[.subjects]!).status == 200)
            let csv = try await client.call(.get, "/v1/people/p1/export?format=csv", auth: token)
            #expect(csv.status == 200 && csv.contentType.hasPrefix("text/csv") && csv.body.hasPrefix("id,item,title,kind,value,timestamp,context"))
            let bad = try await client.call(.get, "/v1/people/p1/export?format=xml", auth: token)
            #expect(bad.status == 400 && bad.isProblem)
            let requests = try await client.call(.get, "/v1/people/p1/requests", auth: token)
            #expect(
                (requests.json["requests"] as? [[String: Any]])?.map { $0["kind"] as? String } == ["access", "access", "access"],
                "three exports answered: token, key, CSV")
        }
    }

    @Test("erasure while recommendations are served: no request fails, and the next answers reflect it")
    func erasureWhileServing() async throws {
        let f = try ServerFixture()
        let handler = CollectingLogHandler()
        let logger = Logger(label: "test") { _ in handler }
        // The workers read the 40 people round-robin, in id order: a batch job's shape (an app key doing it would be
        // stopped for reading ids in order, GuardRoleTests), so the key says so.
        let recommend = try APIKeyService(engine: f.engine).create(name: "hammer", scopes: [.recommend], role: RoleAssignment(.batch)).key
        let victim = f.engine.pseudonymizer.pseudonym(for: "p4")
        let path = ModelDirectory(directory: f.engine.directory).modelPath(algorithm: "als")
        #expect(fileContains(path, victim.hex))
        let before = try Self.servedItemFactors(f)
        let version = f.api.modelVersion
        try await f.api.application(logger: logger).test(.router) { client in
            #expect(try await client.call(.get, "/v1/people/p4/recommendations?k=5", auth: recommend).json["personalized"] as? Bool == true)
            try await withThrowingTaskGroup(of: [Int].self) { group in
                for worker in 0..<4 {
                    group.addTask {
                        var statuses: [Int] = []
                        for n in 0..<40 {
                            statuses.append(try await client.call(.get, "/v1/people/p\((worker * 7 + n) % 40)/recommendations?k=5", auth: recommend).status)
                        }
                        return statuses
                    }
                }
                group.addTask {
                    let erased = try await client.call(.delete, "/v1/people/p4", auth: f.keys[.subjects]!)
                    #expect(erased.status == 200, "\(erased.body)")
                    #expect(erased.json["found"] as? Bool == true)
                    #expect(erased.json["userVectorsDropped"] as? Int == 1)
                    #expect((erased.json["itemsResolved"] as? Int ?? 0) > 0)
                    return [erased.status]
                }
                for try await statuses in group { #expect(statuses.allSatisfy { $0 == 200 }, "\(statuses)") }
            }
            // The answer was sent after the model in service was patched: nothing to wait for.
            let after = try await client.call(.get, "/v1/people/p4/recommendations?k=5", auth: recommend)
            #expect(after.status == 200 && after.json["personalized"] as? Bool == false)
            #expect(try await client.call(.get, "/v1/people/p4/consent", auth: f.keys[.subjects]!).status == 404)
        }
        #expect(f.api.modelVersion > version)
        let (stored, metadata) = try ModelFile.read(from: path)
        let saved = try stored.alsModel()
        let served = try Self.servedItemFactors(f)
        #expect(served.storage == saved.itemFactors.storage, "the server serves the patched item factors")
        #expect(served.storage != before.storage)
        #expect(!metadata.users.contains(victim.hex) && !fileContains(path, victim.hex))
        let lines = handler.lines.withLockedValue { $0 }
        #expect(!lines.isEmpty)
        #expect(!lines.contains { $0.contains(victim.hex) || $0.contains(String(victim.hex.prefix(16))) || $0.contains("/p4") })
    }

    @Test("rectification, restriction, objection and withdrawal over HTTP, with clear 4xx for bad input")
    func otherRights() async throws {
        let f = try ServerFixture()
        let recommend = f.keys[.recommend]!
        try await f.test { client in
            let token = try await Self.token(client, f, "p6")
            let export = try await client.call(.get, "/v1/people/p6/export", auth: token)
            let ids = ((export.json["interactions"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? Int }
            #expect(ids.count > 2)
            let fixed = try await client.call(
                .post, "/v1/people/p6/rectification", auth: token,
                json: #"{"delete":[\#(ids[0]), 999999],"corrections":[{"id":\#(ids[1]),"value":3}]}"#)
            #expect(fixed.status == 200, "\(fixed.body)")
            #expect(fixed.json["deleted"] as? Int == 1 && fixed.json["corrected"] as? Int == 1 && fixed.json["unknownIDs"] as? [Int] == [999999])
            let badKind = try await client.call(.post, "/v1/people/p6/rectification", auth: token, json: #"{"corrections":[{"id":1,"kind":"bogus"}]}"#)
            #expect(badKind.status == 400 && badKind.json["field"] as? String == "corrections[0].kind")
            let empty = try await client.call(.post, "/v1/people/p6/rectification", auth: token, json: #"{}"#)
            #expect(empty.status == 400)
            #expect(try await client.call(.post, "/v1/people/nobody/rectification", auth: f.keys[.subjects]!, json: #"{"delete":[1]}"#).status == 404)

            let restricted = try await client.call(.put, "/v1/people/p8/restriction", auth: f.keys[.subjects]!)
            #expect(restricted.status == 200 && restricted.json["restricted"] as? Bool == true && restricted.json["userVectorsDropped"] as? Int == 1)
            #expect(try await client.call(.get, "/v1/people/p8/recommendations?k=5", auth: recommend).json["personalized"] as? Bool == false)
            #expect(try await client.call(.delete, "/v1/people/p8/restriction", auth: f.keys[.subjects]!).json["restricted"] as? Bool == false)
            #expect(try await client.call(.get, "/v1/people/p8/recommendations?k=5", auth: recommend).json["personalized"] as? Bool == true)

            let objected = try await client.call(.post, "/v1/people/p10/objection", auth: f.keys[.subjects]!)
            #expect(objected.status == 200)
            #expect(try await client.call(.get, "/v1/people/p10/recommendations?k=5", auth: recommend).json["personalized"] as? Bool == false)

            let hex = f.engine.pseudonymizer.pseudonym(for: "p12").hex
            let path = ModelDirectory(directory: f.engine.directory).modelPath(algorithm: "als")
            #expect(fileContains(path, hex))
            let withdrawn = try await client.call(
                .post, "/v1/people/p12/consent", auth: f.keys[.subjects]!, json: #"{"decisions":{"model-training":"withdraw"}}"#)
            #expect(withdrawn.status == 200)
            #expect(!fileContains(path, hex), "withdrawing model-training consent takes the person out of the model")

            #expect(try await client.call(.get, "/v1/requests", auth: recommend).status == 403)
            let all = try await client.call(.get, "/v1/requests", auth: f.keys[.audit]!)
            let kinds = Set(((all.json["requests"] as? [[String: Any]]) ?? []).compactMap { $0["kind"] as? String })
            #expect(kinds == ["access", "rectification", "restriction", "restriction-lifted", "objection", "withdrawal"])
            #expect(!all.body.contains(hex))
            let audit = try await client.call(.get, "/v1/audit?limit=10000", auth: f.keys[.audit]!)
            let subjects = ((audit.json["entries"] as? [[String: Any]]) ?? []).compactMap { $0["subject"] as? String }
            #expect(!subjects.isEmpty && subjects.allSatisfy { $0.count == 32 }, "people appear by their 16-byte audit handle")
            #expect(!audit.body.contains(String(hex.prefix(16))), "never by pseudonym")
        }
    }
}

@Suite("Erasures made by another process")
struct ExternalErasureTests {
    @Test("an erasure made at the command line is served after the next refresh, which the server runs every 200 ms")
    func refreshAfterCommandLineErasure() async throws {
        let f = try ServerFixture()
        let before = try RightsRoutesTests.servedItemFactors(f)
        #expect(try f.api.state.trainer.refreshModel() == false, "nothing to refresh yet")
        _ = try SubjectRights(engine: f.engine).erase(user: "p5", actor: "cli")
        #expect(try RightsRoutesTests.servedItemFactors(f).storage == before.storage, "the server has not looked yet")
        #expect(try f.api.state.trainer.refreshModel() == true)
        let (stored, _) = try ModelFile.read(from: ModelDirectory(directory: f.engine.directory).modelPath(algorithm: "als"))
        #expect(try RightsRoutesTests.servedItemFactors(f).storage == stored.alsModel().itemFactors.storage)
        #expect(try f.api.state.trainer.refreshModel() == false, "one refresh per completed request")
    }
}
