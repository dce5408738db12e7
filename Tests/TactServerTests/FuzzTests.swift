import Foundation
import HTTPTypes
import Hummingbird
import TactCore
import TactEngine
import Testing

@testable import TactServer

/// Random and malformed bodies, headers, paths and queries to every route: the server must answer each
/// with a status below 500, and an error with a problem document.
@Suite("Fuzzing every route")
struct FuzzTests {
    struct Generator {
        var random: SplitMix64
        init(seed: UInt64) { random = SplitMix64(seed: seed) }
        mutating func next() -> UInt64 { random.next() }
        mutating func int(_ n: Int) -> Int { Int(random.next(below: UInt64(n))) }
        mutating func pick<T>(_ xs: [T]) -> T { xs[int(xs.count)] }

        static let atoms = [
            "null", "true", "false", "0", "-1", "1e400", "-0.0", "9223372036854775808", "\"\"", "\"x\"",
            "\"\\u0000\"", "\"\\ud800\"", "\"é漢字🙂\"", "[]", "{}", "\"" + String(repeating: "a", count: 5000) + "\""
        ]
        static let keys = [
            "events", "items", "user", "item", "kind", "value", "timestamp", "purpose", "context", "title",
            "tags", "id", "decisions", "source", "name", "scopes", "personalization", "analytics", "createdAt"
        ]

        /// A JSON-ish value: valid shapes with wrong types, deep nesting, or plain garbage.
        mutating func json(depth: Int = 0) -> String {
            switch depth > 3 ? 0 : int(4) {
            case 0: return pick(Self.atoms)
            case 1: return "[" + (0..<int(4)).map { _ in json(depth: depth + 1) }.joined(separator: ",") + "]"
            case 2: return "{" + (0..<int(5)).map { _ in "\"\(pick(Self.keys))\":\(json(depth: depth + 1))" }.joined(separator: ",") + "}"
            default: return "\"\(pick(["play", "grant", "withdraw", "admin", "2026-13-45", "p0", "r1"]))\""
            }
        }

        mutating func body() -> String? {
            switch int(8) {
            case 0: return nil
            case 1: return String(decoding: (0..<int(300)).map { _ in UInt8(truncatingIfNeeded: next()) }, as: UTF8.self)
            case 2: return String(repeating: "[", count: 600 + int(2000))
            case 3: return #"{"events":[{"user":"p0","item":"r1","kind":"play","value":"# + pick(Self.atoms) + "}]}"
            case 4: return #"{"decisions":{"# + "\"\(pick(Self.keys))\":\(json())}}"
            default: return json()
            }
        }

        mutating func segment() -> String {
            pick(["p0", "r1", "%00", "%2F", "..", "%", "%zz", "a%20b", String(repeating: "x", count: 300), "漢字", "%F0%9F%99%82", "-1", "k0000000000"])
        }

        mutating func query() -> String {
            let names = ["k", "limit", "after", "reasons", "tag", "notTag", "exclude", "ttlSeconds", "x"]
            let values = ["-1", "0", "1", "abc", "99999999999999999999", "", "%", "r1", "1.5", "200", "1001"]
            return (0..<int(4)).map { _ in "\(pick(names))=\(pick(values))" }.joined(separator: "&")
        }
    }

    /// Requests no route answers: a method a path does not take, a path nothing matches.
    static let unrouted: [(HTTPRequest.Method, String)] = [(.patch, "/v1/events"), (.get, "/{}"), (.options, "/v1/items"), (.get, "/v1/{}/{}")]

    /// Every registered route, from the route table (`RouteDeclarations`), each parameter as `{}`.
    static func routes(_ f: ServerFixture) -> [(HTTPRequest.Method, String)] {
        f.api.state.routes.all.keys.sorted().compactMap { action in
            let parts = action.split(separator: " ", maxSplits: 1).map(String.init)
            guard parts.count == 2, let method = HTTPRequest.Method(parts[0]) else { return nil }
            let path = parts[1].split(separator: "/", omittingEmptySubsequences: false)
                .map { $0.hasPrefix("{") ? "{}" : String($0) }.joined(separator: "/")
            return (method, path)
        }
    }

    @Test("8,000 random requests over every registered route: no 5xx, and every error is a problem document (or, on a web page, a page)")
    func fuzz() async throws {
        let f = try ServerFixture {
            $0.maxBodyBytes = 16_384; $0.requestsPerSecond = 1e6; $0.burst = 1e6
        }
        let credentials: [String?] = [
            nil, f.admin, f.keys[.recommend]!, f.keys[.ingest]!, f.keys[.subjects]!, "tact_garbage", "tpt1.abc.def",
            String(repeating: "z", count: 5000)
        ]
        try await f.test { client in
            let routes = Self.routes(f)
            // The table has every route the server registered (83 when this was written): all are fuzzed.
            #expect(routes.count >= 80, "\(routes.count) routes in the table")
            let templates = routes + Self.unrouted
            var g = Generator(seed: 42)
            var failures: [String] = []
            var asked = Set<String>()
            for _ in 0..<8_000 {
                let (method, template) = g.pick(templates)
                asked.insert("\(method) \(template)")
                var uri = template.replacingOccurrences(of: "{}", with: g.segment())
                if g.int(2) == 0 { uri += "?" + g.query() }
                var headers = HTTPFields()
                if let c = g.pick(credentials) { headers[.authorization] = g.int(5) == 0 ? c : "Bearer " + c }
                if g.int(3) == 0 { headers[.secGPC] = g.pick(["1", "0", "yes", ""]) }
                if g.int(4) == 0 { headers[.contentType] = g.pick(["text/plain", "application/json; charset=latin1", "multipart/form-data"]) }
                let body = g.body()
                let response = try await client.executeRequest(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
                let status = response.status.code
                if status >= 500 { failures.append("\(method) \(uri.prefix(120)) → \(status): \(String(buffer: response.body).prefix(200))") }
                // The web pages for people and operators answer their errors as pages, or as problem documents when
                // the request carried API credentials (refused before any page); the API always as problem documents.
                let page = template.hasPrefix("/privacy") || template.hasPrefix("/console")
                let type = response.headers[.contentType] ?? ""
                let known = type == "application/problem+json" || (page && type.hasPrefix("text/html"))
                if status >= 400, !known {
                    failures.append("\(method) \(uri.prefix(120)) → \(status) without \(page ? "an error page" : "a problem document") (\(type))")
                }
            }
            #expect(failures.isEmpty, "\(failures.prefix(10).joined(separator: "\n"))")
            #expect(asked.count == templates.count, "\(templates.count - asked.count) routes never asked")
        }
        // The store still answers and nothing half-written broke it.
        #expect(try f.engine.statistics().items > 0)
    }

    /// One mutation of a canonical path: repeated and encoded slashes, dot segments, case, control and trailing
    /// characters, percent-encoded letters.
    static func mutate(_ segments: [String], with g: inout Generator) -> String {
        var parts = segments
        let i = g.int(parts.count)
        switch g.int(10) {
        case 0: parts[i] = "/" + parts[i]  // a doubled slash
        case 1: parts[i] += g.pick(["/", "//", "/.", "/./", "%2F", "%2f"])  // trailing, encoded slashes, dots
        case 2: parts.insert(g.pick([".", "..", "%2e", "%2E%2E", ".%2e"]), at: i)  // dot segments
        case 3: parts[i] = parts[i].uppercased()  // case
        case 4: parts[i] += g.pick(["%00", "%0a", "%0D", "%1f", "%7f", "%c2%85", "%09"])  // control characters
        case 5: parts[i] += g.pick([";", ";x=1", "%20", "~", "%", "%zz", "%C3%28", "\\"])  // trailing characters
        case 6: parts[i] = parts[i].map { c -> String in c.isLetter && g.int(3) == 0 ? String(format: "%%%02X", c.asciiValue ?? 0) : String(c) }.joined()
        case 7: return "/" + parts.joined(separator: "/") + "/"
        case 8: return "//" + parts.joined(separator: "/")
        default: parts[i] = g.pick(["%2e%2e", ".."]) + "/" + parts[i]
        }
        return "/" + parts.joined(separator: "/")
    }

    @Test("1,500 mutated paths to person routes: each is refused, or audited exactly like its canonical form")
    func pathMutations() async throws {
        let f = try ServerFixture {
            $0.requestsPerSecond = 1e6; $0.burst = 1e6
        }
        let routes: [(HTTPRequest.Method, String, Scope)] = [
            (.get, "v1/people/P/recommendations", .recommend), (.get, "v1/people/P/placements", .recommend),
            (.get, "v1/people/P/playlist", .recommend), (.get, "v1/people/P/ads", .recommend),
            (.get, "v1/people/P/consent", .subjects), (.get, "v1/people/P/requests", .subjects), (.get, "v1/people/P/export", .subjects)
        ]
        let store = f.engine.store
        try await f.test { client in
            var g = Generator(seed: 7)
            var mismatches: [String] = []
            for _ in 0..<1_500 {
                let (method, template, scope) = g.pick(routes)
                let person = "p\(g.int(40))"
                let action = "\(method.rawValue) /" + template.replacingOccurrences(of: "P", with: "{person}")
                let uri = Self.mutate(template.replacingOccurrences(of: "P", with: person).split(separator: "/").map(String.init), with: &g)
                // The person the canonical reading of this path names: its fourth segment, percent-decoded, when the
                // path has exactly the route's shape; nil when it has not (then nothing may be answered).
                let parts = uri.split(separator: "/", omittingEmptySubsequences: false)
                let named =
                    parts.count == 5 && parts[0].isEmpty && parts[1] == "v1" && parts[2] == "people" && !parts[3].isEmpty
                    ? String(parts[3]).removingPercentEncoding : nil
                let expected = named.map { f.engine.pseudonymizer.pseudonym(for: $0) }
                await f.api.flushAudit()
                let before = try expected.map { try AuditRecordingTests.requestsRecorded(store, action: action, subject: $0) } ?? 0
                let total = try AuditRecordingTests.requestsRecorded(store)
                let response = try await client.executeRequest(uri: uri, method: method, headers: [.authorization: "Bearer " + f.keys[scope]!], body: nil)
                await f.api.flushAudit()
                let after = try expected.map { try AuditRecordingTests.requestsRecorded(store, action: action, subject: $0) } ?? 0
                let totalAfter = try AuditRecordingTests.requestsRecorded(store)
                let status = response.status.code
                if status >= 500 { mismatches.append("\(uri) → \(status)") }
                if status < 400 {
                    // Answered: recorded once, as the canonical route and the person the path names.
                    if expected == nil || after != before + 1 || totalAfter != total + 1 {
                        mismatches.append(
                            "\(uri) → \(status), audited \(after - before) as \(action) for \(named ?? "no person") (\(totalAfter - total) in all)")
                    }
                } else if totalAfter != total, expected == nil || after != before + 1 || totalAfter != total + 1 {
                    // Refused after matching a route (403, 404): if recorded at all, recorded as the canonical form.
                    mismatches.append("\(uri) → \(status), recorded \(totalAfter - total) entries, \(after - before) as \(action)")
                }
            }
            #expect(mismatches.isEmpty, "\(mismatches.prefix(10).joined(separator: "\n"))")
        }
        #expect(try f.engine.audit.verify().isIntact)
    }
}
