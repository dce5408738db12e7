import Foundation
import TactCore
import TactEngine
import TactRecommend
import Testing

@testable import TactServer

@Suite("EASE served over HTTP")
struct EASEServingTests {
    @Test("a server set to EASE recommends with reasons from the person's history, and an erasure swaps in the patched model")
    func servesAndErases() async throws {
        let f = try ServerFixture { $0.model = ModelSpec(EASEConfiguration(regularization: 20, threads: 1)) }
        let recommend = f.keys[.recommend]!, subjects = f.keys[.subjects]!
        let before = try #require(f.api.state.registry.current.recommender?.model as? EASEModel)
        try await f.test { client in
            let reply = try await client.call(.get, "/v1/people/p1/recommendations?k=5", auth: recommend)
            #expect(reply.status == 200)
            #expect(reply.json["personalized"] as? Bool == true)
            let items = try #require(reply.json["items"] as? [[String: Any]])
            #expect(items.count == 5)
            // p1 is odd: jazz. The list is jazz, each with reasons naming the person's own items.
            #expect(items.allSatisfy { (($0["item"] as? [String: Any])?["id"] as? String ?? "").hasPrefix("j") }, "\(items)")
            #expect(items.allSatisfy { !(($0["reasons"] as? [[String: Any]]) ?? []).isEmpty })
            #expect(try await client.call(.delete, "/v1/people/p3", auth: subjects).status == 200)
            #expect(try await client.call(.get, "/v1/people/p1/recommendations?k=5", auth: recommend).status == 200)
        }
        let after = try #require(f.api.state.registry.current.recommender?.model as? EASEModel)
        #expect(after.gram != before.gram, "the served model is the one the erasure patched")
        let path = ModelDirectory(directory: f.engine.directory).modelPath(algorithm: "ease")
        let (stored, metadata) = try ModelFile.read(from: path)
        #expect(stored == .ease(after))
        #expect(!metadata.users.contains(f.engine.pseudonymizer.pseudonym(for: "p3").hex))
    }
}
