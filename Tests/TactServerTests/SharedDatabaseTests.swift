import Foundation
import Hummingbird
import HummingbirdTesting
import TactCore
import TactEngine
import TactRecommend
import TactStore
import TactTestSupport
import Testing

@testable import TactServer

/// Two servers, each with its own data directory (configuration, secret, local model files), sharing
/// one database: on PostgreSQL as several machines would, and on one SQLite file as two processes on
/// one machine would. What one server changes, the other serves.
@Suite("Several servers, one database")
struct SharedDatabaseTests {
    /// A second server over the first one's database: a copy of its configuration and secret, no model files.
    static func secondServer(beside first: ServerFixture, database: String, in tmp: TemporaryDirectory) throws -> TactAPI {
        let path = tmp.file("second")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        for file in ["config.json", "secret.key", "policy.json"] {
            try FileManager.default.copyItem(atPath: first.engine.directory.path + "/" + file, toPath: path + "/" + file)
        }
        let engine = try DataDirectory(path: path, database: database, environment: [:]).open()
        return try TactAPI(engine: engine, settings: ServerFixture.settings { $0.cacheWatchSeconds = 0.01 })
    }

    static func servedItemFactors(_ api: TactAPI) throws -> FactorMatrix {
        let recommender = try #require(api.state.registry.current.recommender)
        guard let serving = recommender.model as? ALSServing else { throw CancellationError() }
        return serving.model.itemFactors
    }

    static func recommended(_ client: any TestClientProtocol, _ person: String, _ key: String) async throws -> (personalized: Bool, items: [String]) {
        let reply = try await client.call(.get, "/v1/people/\(person)/recommendations?k=5", auth: key)
        let items = (reply.json["items"] as? [[String: Any]] ?? []).compactMap { ($0["item"] as? [String: Any])?["id"] as? String }
        return (reply.json["personalized"] as? Bool ?? false, items)
    }

    /// Waits (up to 20 s) until both servers serve the store's newest saved model, at least `version`; returns that version.
    static func converge(_ a: TactAPI, _ b: TactAPI, atLeast version: Int64) async throws -> Int64 {
        var latest: Int64 = 0
        for _ in 0..<400 {
            latest = try a.state.engine.store.read { try $0.latestModelArtifact(algorithm: "als")?.version } ?? 0
            if latest >= version, a.state.registry.current.artifactVersion == latest, b.state.registry.current.artifactVersion == latest,
                try servedItemFactors(a) == servedItemFactors(b)
            {
                return latest
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record(
            "the servers did not converge on version \(version) or later: store \(latest), A \(a.state.registry.current.artifactVersion), B \(b.state.registry.current.artifactVersion)"
        )
        return latest
    }

    @Test("consent changes, erasures and model swaps made through one server are served by the other", arguments: StoreBackend.available)
    func twoServers(_ backend: StoreBackend) async throws {
        let db = try TestStore(backend)
        let a = try ServerFixture(database: db.address) { $0.cacheWatchSeconds = 0.01 }
        let tmp = TemporaryDirectory("tact-second")
        let b = try Self.secondServer(beside: a, database: db.address, in: tmp)
        let recommend = a.keys[.recommend]!, subjects = a.keys[.subjects]!

        // B serves the model A trained and saved: the same version, the same factors, without training.
        let first = a.api.state.registry.current.artifactVersion
        #expect(first >= 1)
        #expect(b.state.registry.current.artifactVersion == first)
        #expect(try Self.servedItemFactors(b) == Self.servedItemFactors(a.api))

        try await a.application().test(.router) { ca in
            try await b.application().test(.router) { cb in
                // The same answers; B's answer for p2 is now kept in its cache.
                let p2 = try await Self.recommended(cb, "p2", recommend)
                #expect(p2.personalized)
                #expect(p2.items == (try await Self.recommended(ca, "p2", recommend)).items)

                // A consent withdrawn through A: B stops personalizing for that person.
                let withdrawn = try await ca.call(.post, "/v1/people/p2/consent", auth: subjects, json: #"{"decisions":{"personalization":"withdraw"}}"#)
                #expect(withdrawn.status == 200, "\(withdrawn.body)")
                let stopped = try await eventually { try await Self.recommended(cb, "p2", recommend).personalized == false }
                #expect(stopped, "B still personalizes for a person who withdrew through A")

                // An erasure through A: the model A patched is the model B serves, with the person gone.
                let victim = a.engine.pseudonymizer.pseudonym(for: "p4")
                let erased = try await ca.call(.delete, "/v1/people/p4", auth: subjects)
                #expect(erased.status == 200, "\(erased.body)")
                let mark = try a.engine.store.read { try $0.latestModelChangingRequest() }
                // Both servers' watch loops (every 200 ms) serve the newest saved model; each also retrains after an erasure.
                let patched = try await Self.converge(a.api, b, atLeast: first + 1)
                #expect(b.state.registry.current.requestMark >= mark)
                #expect(try Self.servedItemFactors(b) == Self.servedItemFactors(a.api))
                #expect(!fileContains(ModelDirectory(directory: b.state.engine.directory).modelPath(algorithm: "als"), victim.hex))
                #expect(try await Self.recommended(cb, "p4", recommend).personalized == false)

                // A retrains: B swaps to that model at its next look.
                _ = try await a.api.retrain()
                let retrained = try await Self.converge(a.api, b, atLeast: patched + 1)
                #expect(b.state.registry.current.artifactVersion == retrained)
                #expect(try Self.servedItemFactors(b) == Self.servedItemFactors(a.api))
                #expect(try await Self.recommended(cb, "p1", recommend).items == (try await Self.recommended(ca, "p1", recommend)).items)
            }
        }
    }
}

/// The catalog in each server's memory follows changes made through the other.
@Suite struct SharedCatalogTests {
    @Test("an item added, renamed or deleted through one server is seen by the other's catalog and recommendations", arguments: StoreBackend.available)
    func catalogAcrossServers(_ backend: StoreBackend) async throws {
        let db = try TestStore(backend)
        let a = try ServerFixture(database: db.address) { $0.cacheWatchSeconds = 0.01 }
        let tmp = TemporaryDirectory("tact-second")
        let b = try SharedDatabaseTests.secondServer(beside: a, database: db.address, in: tmp)
        let catalog = a.keys[.catalog]!, recommend = a.keys[.recommend]!
        try await a.application().test(.router) { ca in
            try await b.application().test(.router) { cb in
                #expect(try await cb.call(.get, "/v1/items/brand-new", auth: catalog).status == 404)
                let put = try await ca.call(.put, "/v1/items/brand-new", auth: catalog, json: #"{"title": "Brand new", "tags": ["jazz"]}"#)
                #expect(put.status < 300, "\(put.body)")
                let seen = try await eventually { try await cb.call(.get, "/v1/items/brand-new", auth: catalog).json["title"] as? String == "Brand new" }
                #expect(seen, "B never saw the item A added")

                // An item B recommends, renamed through A: B shows the new title; deleted through A: B stops listing it.
                let listed = try await SharedDatabaseTests.recommended(cb, "p1", recommend).items
                let target = try #require(listed.first)
                let renamed = try await ca.call(.put, "/v1/items/\(target)", auth: catalog, json: #"{"title": "Renamed by A", "tags": []}"#)
                #expect(renamed.status < 300, "\(renamed.body)")
                let titled = try await eventually {
                    let reply = try await cb.call(.get, "/v1/people/p1/recommendations?k=5", auth: recommend)
                    return (reply.json["items"] as? [[String: Any]] ?? []).contains { ($0["item"] as? [String: Any])?["title"] as? String == "Renamed by A" }
                }
                #expect(titled, "B still shows the old title")
                #expect(try await ca.call(.delete, "/v1/items/\(target)", auth: catalog).status < 300)
                let gone = try await eventually { try await !SharedDatabaseTests.recommended(cb, "p1", recommend).items.contains(target) }
                #expect(gone, "B still recommends an item A deleted")
                #expect(try await cb.call(.get, "/v1/items/\(target)", auth: catalog).status == 404)
            }
        }
    }
}
