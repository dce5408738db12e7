import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TactCore
import TactEngine
import TactTestSupport
import Testing

@testable import TactServer

/// The OpenAPI document served at /openapi.json: valid, complete, and in agreement with the router
/// (every route documented, nothing documented that is not routed, and the security it claims enforced).
@Suite("OpenAPI document")
struct OpenAPITests {
    /// One documented operation, reduced to what the checks need (Sendable, unlike the parsed JSON).
    struct Operation: Sendable, CustomStringConvertible {
        var method: String
        var path: String
        var operationID: String
        var isPublic: Bool
        var scopes: [String]
        var acceptsPersonToken: Bool
        var takesGPC: Bool
        /// The media types of the first 2xx response.
        var successTypes: [String]
        var description: String { "\(method) \(path)" }

        /// The path with every `{parameter}` filled in.
        func uri(_ value: String = "x") -> String {
            path.split(separator: "/", omittingEmptySubsequences: false)
                .map { $0.hasPrefix("{") ? value : String($0) }.joined(separator: "/")
        }
    }

    static let httpMethods = ["get", "put", "post", "delete", "patch", "head", "options", "trace"]
    static let publicPaths: Set<String> = [
        "/health/live", "/health/ready", "/metrics", "/openapi.json", "/v1/policy", "/v1/policy/versions", "/v1/policy/record", "/policy"
    ]
    /// The operations that honour `Sec-GPC: 1`.
    static let gpcOperations: Set<String> = [
        "POST /v1/events", "GET /v1/people/{person}/recommendations", "GET /v1/people/{person}/placements",
        "GET /v1/people/{person}/consent", "POST /v1/people/{person}/consent", "GET /v1/people/{person}/playlist",
        "GET /v1/people/{person}/ads"
    ]

    static func document() throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8))
        return try #require(object as? [String: Any], "the document is not a JSON object")
    }

    /// Follows a `$ref` within the document (`#/components/...`); other values are returned as they are.
    static func resolve(_ value: Any, in doc: [String: Any]) throws -> [String: Any] {
        let object = try #require(value as? [String: Any])
        guard let ref = object["$ref"] as? String else { return object }
        #expect(ref.hasPrefix("#/"), "external $ref \(ref)")
        var node: Any = doc
        for part in ref.dropFirst(2).split(separator: "/") {
            node = try #require((node as? [String: Any])?[String(part)], "unresolved $ref \(ref)")
        }
        return try resolve(node, in: doc)
    }

    static func operations(_ doc: [String: Any]) throws -> [(op: Operation, json: [String: Any])] {
        let paths = try #require(doc["paths"] as? [String: Any])
        var out: [(Operation, [String: Any])] = []
        for (path, item) in paths.sorted(by: { $0.key < $1.key }) {
            let item = try #require(item as? [String: Any])
            for method in httpMethods {
                guard let json = item[method] as? [String: Any] else { continue }
                let security = json["security"] as? [[String: [String]]]
                let parameters = try (json["parameters"] as? [Any] ?? []).map { try resolve($0, in: doc) }
                let responses = json["responses"] as? [String: Any] ?? [:]
                var successTypes: [String] = []
                if let code = responses.keys.filter({ $0.hasPrefix("2") }).min() {
                    successTypes = try Array((resolve(responses[code]!, in: doc)["content"] as? [String: Any] ?? [:]).keys)
                }
                out.append(
                    (
                        Operation(
                            method: method.uppercased(), path: path, operationID: json["operationId"] as? String ?? "",
                            isPublic: security?.isEmpty == true, scopes: json["x-tact-scopes"] as? [String] ?? [],
                            acceptsPersonToken: json["x-tact-person-token"] as? Bool ?? false,
                            takesGPC: parameters.contains { $0["name"] as? String == "Sec-GPC" && $0["in"] as? String == "header" },
                            successTypes: successTypes), json
                    ))
            }
        }
        return out
    }

    /// The API over a fresh, empty data directory (it serves popularity only), and the directory to keep alive.
    static func makeAPI() throws -> (TemporaryDirectory, Engine, TactAPI) {
        let tmp = TemporaryDirectory("tact-openapi")
        let dir = DataDirectory(path: tmp.file("data"), environment: [:])
        try dir.initialize(mode: .optIn)
        let engine = try dir.open()
        return (tmp, engine, try TactAPI(engine: engine, settings: ServerSettings()))
    }

    /// A route path as `/a/{b}`, whichever way the router writes parameters (`{b}` or `:b`).
    static func normalise(_ path: String) -> String {
        let parts = path.split(separator: "/").map { part -> String in
            part.hasPrefix(":") ? "{\(part.dropFirst())}" : String(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    @Test("the document is OpenAPI 3.1.0 and every operation has an id, a summary and problem responses")
    func wellFormed() throws {
        let doc = try Self.document()
        #expect(doc["openapi"] as? String == "3.1.0")
        let info = try #require(doc["info"] as? [String: Any])
        #expect(info["title"] as? String == "Tact")
        #expect(info["version"] as? String != nil)

        let problem = try Self.resolve(["$ref": "#/components/schemas/Problem"], in: doc)
        let properties = try #require(problem["properties"] as? [String: Any])
        #expect(Set(properties.keys) == ["status", "title", "detail", "type", "field", "instance"])
        let scheme = try Self.resolve(["$ref": "#/components/securitySchemes/bearerAuth"], in: doc)
        #expect(scheme["type"] as? String == "http")
        #expect(scheme["scheme"] as? String == "bearer")

        let operations = try Self.operations(doc)
        #expect(!operations.isEmpty)
        var ids: Set<String> = []
        for (op, json) in operations {
            #expect(!op.operationID.isEmpty, "\(op) has no operationId")
            #expect(ids.insert(op.operationID).inserted, "\(op): operationId \(op.operationID) is used twice")
            let summary = json["summary"] as? String ?? ""
            #expect(summary.count > 10 && summary.hasSuffix(".") && !summary.contains("\n"), "\(op): summary '\(summary)' is not one sentence")
            #expect(!op.successTypes.isEmpty, "\(op) documents no 2xx response with content")

            let responses = try #require(json["responses"] as? [String: Any], "\(op) has no responses")
            var problemCodes: [String] = []
            for (code, response) in responses {
                let resolved = try Self.resolve(response, in: doc)
                #expect(resolved["description"] as? String != nil, "\(op) \(code) has no description")
                let content = resolved["content"] as? [String: Any] ?? [:]
                if let problemType = content["application/problem+json"] as? [String: Any] {
                    let schema = try #require(problemType["schema"] as? [String: Any])
                    #expect(schema["$ref"] as? String == "#/components/schemas/Problem", "\(op) \(code)")
                    problemCodes.append(code)
                }
                if code.hasPrefix("4") || code == "500" {
                    #expect(content["application/problem+json"] != nil, "\(op) \(code) is not a problem document")
                }
            }
            #expect(problemCodes.contains { $0.hasPrefix("4") }, "\(op) documents no 4xx problem response")
            #expect(responses["429"] != nil, "\(op) does not document 429 (every request with credentials is rate-limited)")

            // Path parameters and the path agree.
            let declared = try Set(
                (json["parameters"] as? [Any] ?? []).map { try Self.resolve($0, in: doc) }
                    .filter { $0["in"] as? String == "path" }.compactMap { $0["name"] as? String })
            let inPath = Set(op.path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) })
            #expect(declared == inPath, "\(op): path parameters \(declared.sorted()) vs \(inPath.sorted())")
        }
    }

    @Test("security: public routes need nothing, the others name their scopes and the bearer scheme")
    func security() throws {
        let doc = try Self.document()
        let scopes = Set(Scope.allCases.map(\.rawValue))
        for (op, json) in try Self.operations(doc) {
            #expect(op.isPublic == Self.publicPaths.contains(op.path), "\(op): public is \(op.isPublic)")
            let security = try #require(json["security"] as? [[String: [String]]], "\(op) has no security")
            if op.isPublic {
                #expect(json["x-tact-scopes"] == nil, "\(op)")
            } else {
                #expect(security == [["bearerAuth": []]], "\(op)")
                #expect(!op.scopes.isEmpty && Set(op.scopes).isSubset(of: scopes), "\(op): x-tact-scopes \(op.scopes)")
                let description = json["description"] as? String ?? ""
                for scope in op.scopes { #expect(description.contains("`\(scope)`"), "\(op): the description does not name the \(scope) scope") }
            }
            #expect(op.takesGPC == Self.gpcOperations.contains(op.description), "\(op): Sec-GPC documented \(op.takesGPC)")
        }
    }

    @Test("every route the router registers is documented, and every documented operation is routed")
    func matchesRouter() throws {
        let (tmp, _, api) = try Self.makeAPI()
        defer { withExtendedLifetime(tmp) {} }
        // The web pages (the privacy center, the console and their assets) are for browsers, not API
        // clients: docs/web.md describes them, and WebPagesTests covers every one.
        let webPrefixes = ["/privacy", "/console", "/assets/"]
        let routed = Set(api.router().routes.map { "\($0.method.rawValue) \(Self.normalise($0.path.description))" })
            .filter { route in !webPrefixes.contains { route.split(separator: " ")[1].hasPrefix($0) } }
        let documented = Set(try Self.operations(Self.document()).map { $0.op.description })
        #expect(!routed.isEmpty)
        #expect(routed.subtracting(documented).sorted() == [], "routed but not documented in OpenAPIDocument.json")
        #expect(documented.subtracting(routed).sorted() == [], "documented but not routed")
    }

    @Test("each route's declared caller is what the document claims: public, x-tact-scopes, x-tact-person-token")
    func declarationsMatchDocument() throws {
        let (tmp, _, api) = try Self.makeAPI()
        defer { withExtendedLifetime(tmp) {} }
        _ = api.router()
        let declared = api.state.routes.all
        let operations = try Self.operations(Self.document()).map(\.op)
        #expect(!operations.isEmpty)
        for op in operations {
            let declaration = try #require(declared[op.description], "\(op) is documented but declares nothing")
            let caller = declaration.caller
            #expect(caller != .browser, "\(op): a documented API route is not a browser page")
            #expect(op.isPublic == (caller == .anyone), "\(op): public in the document \(op.isPublic), declared \(caller)")
            #expect(Set(op.scopes) == Set(caller.scopes.map(\.rawValue)), "\(op): x-tact-scopes \(op.scopes), declared \(caller.scopes)")
            #expect(op.acceptsPersonToken == caller.acceptsPersonToken, "\(op): x-tact-person-token \(op.acceptsPersonToken), declared \(caller)")
        }
        // The pages are declared too, as browser pages or public assets, and none is documented as API.
        let documented = Set(operations.map(\.description))
        for (action, declaration) in declared where !documented.contains(action) {
            #expect(declaration.caller == .browser || (declaration.caller == .anyone && action.hasPrefix("GET /assets/")), "\(action) is undocumented")
        }
    }

    @Test("the router enforces the security the document claims: no credentials, other scopes, person tokens")
    func enforcesDocumentedSecurity() async throws {
        let (tmp, engine, api) = try Self.makeAPI()
        defer { withExtendedLifetime(tmp) {} }
        let operations = try Self.operations(Self.document()).map(\.op)
        var keys: [String: String] = [:]
        for scope in Scope.allCases {
            keys[scope.rawValue] = try APIKeyService(engine: engine).create(name: "openapi-\(scope.rawValue)", scopes: [scope]).key
        }
        let scopeKeys = keys
        let app = Application(router: api.router())
        try await app.test(.router) { client in
            func call(_ op: Operation, uri: String? = nil, auth: String? = nil) async throws -> (status: Int, contentType: String, headers: HTTPFields) {
                var headers = HTTPFields()
                if let auth { headers[.authorization] = "Bearer " + auth }
                let response = try await client.executeRequest(uri: uri ?? op.uri(), method: HTTPRequest.Method(op.method)!, headers: headers, body: nil)
                return (response.status.code, response.headers[.contentType] ?? "", response.headers)
            }
            let issued = try await client.executeRequest(
                uri: "/v1/people/x/tokens", method: .post,
                headers: [.authorization: "Bearer " + scopeKeys["subjects"]!], body: nil)
            #expect(issued.status == .created)
            let object = try JSONSerialization.jsonObject(with: Data(String(buffer: issued.body).utf8)) as? [String: Any]
            let token = try #require(object?["token"] as? String)

            for op in operations {
                let anonymous = try await call(op)
                if op.isPublic {
                    #expect(anonymous.status < 400, "\(op) without credentials: \(anonymous.status)")
                    let mediaType = anonymous.contentType.split(separator: ";").first.map(String.init) ?? ""
                    #expect(op.successTypes.contains(mediaType), "\(op) answered \(anonymous.contentType), documented \(op.successTypes)")
                    continue
                }
                #expect(anonymous.status == 401 && anonymous.contentType == "application/problem+json", "\(op) without credentials: \(anonymous.status)")
                #expect(anonymous.headers[.wwwAuthenticate] != nil, "\(op)")
                for scope in Scope.allCases where scope != .admin {
                    let reply = try await call(op, auth: scopeKeys[scope.rawValue]!)
                    if op.scopes.contains(scope.rawValue) {
                        #expect(reply.status != 401 && reply.status != 403, "\(op) with the documented scope \(scope): \(reply.status)")
                    } else {
                        #expect(reply.status == 403, "\(op) with the undocumented scope \(scope): \(reply.status)")
                    }
                }
                let withAdmin = try await call(op, auth: scopeKeys["admin"]!)
                #expect(withAdmin.status != 401 && withAdmin.status != 403, "\(op) with admin: \(withAdmin.status)")
                let asPerson = try await call(op, auth: token)
                if op.acceptsPersonToken {
                    #expect(asPerson.status != 401 && asPerson.status != 403, "\(op) with the person's own token: \(asPerson.status)")
                    #expect(try await call(op, uri: op.uri("someone-else"), auth: token).status == 403, "\(op) with another person's token")
                } else {
                    #expect(asPerson.status == 403, "\(op) with a person token: \(asPerson.status)")
                }
            }
        }
    }

    @Test("the compiled-in document is Sources/TactServer/Resources/openapi.json, byte for byte")
    func matchesResourceFile() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/TactServer/Resources/openapi.json")
        let bytes = try Data(contentsOf: file)
        #expect(Data(OpenAPIDocument.json.utf8) == bytes, "the TextLiterals plugin did not copy openapi.json byte for byte")
    }

    @Test("GET /openapi.json serves the document as application/json")
    func served() async throws {
        let (tmp, _, api) = try Self.makeAPI()
        defer { withExtendedLifetime(tmp) {} }
        let app = Application(router: api.router())
        try await app.test(.router) { client in
            let response = try await client.executeRequest(uri: "/openapi.json", method: .get, headers: [:], body: nil)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json")
            #expect(String(buffer: response.body) == OpenAPIDocument.json)
        }
    }
}
