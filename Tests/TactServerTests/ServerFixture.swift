import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TactCore
import TactEngine
import TactRecommend
import TactServer
import TactTestSupport

/// A data directory with a small catalog, consenting people with two tastes, a key per scope, and the API over it.
final class ServerFixture: @unchecked Sendable {
    let tmp = TemporaryDirectory("tact-server")
    let engine: Engine
    let api: TactAPI
    /// One key per scope, each holding only that scope.
    var keys: [Scope: String] = [:]
    var admin: String { keys[.admin]! }

    /// 20 "rock" items r0…r19, 20 "jazz" items j0…j19, 2 sponsored items; people p0…p39 (even: rock, odd: jazz)
    /// granted personalization, model training and advertising; n0 has events but no consent.
    /// `database` names the store (a postgres:// address or a SQLite file); by default the directory's own SQLite file.
    init(mode: ConsentMode = .optIn, database: String? = nil, configure: (inout ServerSettings) -> Void = { _ in }) throws {
        let dir = DataDirectory(path: tmp.file("data"), database: database, environment: [:])
        try dir.initialize(mode: mode)
        engine = try dir.open()
        try engine.store.write { w in
            for i in 0..<20 {
                _ = try w.upsertItem(Item(id: "r\(i)", title: "Rock \(i)", tags: ["rock"]))
                _ = try w.upsertItem(Item(id: "j\(i)", title: "Jazz \(i)", tags: ["jazz"]))
            }
            _ = try w.upsertItem(Item(id: "ad-rock", title: "Sponsored rock", tags: ["rock", "sponsored"]))
            _ = try w.upsertItem(Item(id: "ad-jazz", title: "Sponsored jazz", tags: ["jazz", "sponsored"]))
        }
        var events: [IncomingInteraction] = []
        for p in 0..<40 {
            let genre = p % 2 == 0 ? "r" : "j"
            for i in 0..<20 where (i * 7 + p) % 3 != 0 {
                events.append(IncomingInteraction(user: "p\(p)", item: "\(genre)\(i)", kind: .play, timestamp: 1_700_000_000 + Int64(i)))
            }
        }
        events.append(IncomingInteraction(user: "n0", item: "r1", kind: .play, timestamp: 1_700_000_000))
        _ = try Ingestor(engine: engine).ingest(
            events.filter { $0.user != "n0" },
            options: IngestOptions(grants: [.personalization, .modelTraining, .advertising], grantNote: "test"))
        api = try TactAPI(engine: engine, settings: Self.settings(configure))
        for scope in Scope.allCases {
            keys[scope] = try APIKeyService(engine: engine).create(name: "test-\(scope.rawValue)", scopes: [scope]).key
        }
    }

    /// The settings the fixture's server runs with.
    static func settings(_ configure: (inout ServerSettings) -> Void) -> ServerSettings {
        var settings = ServerSettings()
        var als = ALSConfiguration()
        als.factors = 8
        als.iterations = 8
        als.regularization = 0.05
        als.threads = 1
        settings.model = .als(als)
        // Tests of serving need the model they name served; PopularityGuardServingTests turn the check on.
        settings.servesBelowPopularity = true
        configure(&settings)
        return settings
    }

    func application() -> some ApplicationProtocol { api.application() }

    /// Runs `body` against the API in memory (no sockets).
    func test(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await application().test(.router) { client in try await body(client) }
    }
}

/// A response with its body parsed as a JSON object when it is one.
struct Reply: @unchecked Sendable {
    let status: Int
    let headers: HTTPFields
    let body: String
    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:] }
    var contentType: String { headers[.contentType] ?? "" }
    var isProblem: Bool { contentType == "application/problem+json" }
}

extension TestClientProtocol {
    /// Sends a request with an optional bearer credential and JSON body.
    func call(_ method: HTTPRequest.Method, _ uri: String, auth: String? = nil, json: String? = nil, headers extra: HTTPFields = [:]) async throws -> Reply {
        var headers = extra
        if let auth { headers[.authorization] = "Bearer " + auth }
        if json != nil { headers[.contentType] = "application/json" }
        let response = try await executeRequest(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
        return Reply(status: response.status.code, headers: response.headers, body: String(buffer: response.body))
    }
}
