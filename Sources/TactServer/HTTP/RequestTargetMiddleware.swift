import Foundation
import Hummingbird
import TactCore

/// Refuses a request whose target (path and query) is longer than `maximumBytes` (414), or whose path is not in
/// canonical form (400), before any route sees it: an empty segment
/// (`//`, a trailing `/`), a dot segment (`.`, `..`, also percent-encoded), a control character (also
/// percent-encoded, such as `%00`), or percent-encoding that is malformed or not UTF-8. The router would fold
/// some of these into a route that exists, so one resource would answer to many spellings; refusing them
/// leaves each resource one path. (Every audit and Guard decision is taken from the matched route all the
/// same, so a spelling this misses is still recorded like its canonical form.)
struct RequestTargetMiddleware: RouterMiddleware {
    typealias Context = TactRequestContext
    /// The longest path and query accepted, in bytes: what a request carries past it is kept nowhere.
    let maximumBytes: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.uri.path.utf8.count + (request.uri.query?.utf8.count ?? 0) <= maximumBytes else {
            throw Problem.uriTooLong(limit: maximumBytes)
        }
        if let fault = Self.fault(in: request.uri.path) {
            throw Problem.badRequest("the path \(fault); send each route's path as /openapi.json writes it")
        }
        return try await next(request, context)
    }

    /// What makes `path` non-canonical, in words, or nil when it is canonical.
    static func fault(in path: String) -> String? {
        let bytes = path.utf8
        guard bytes.first == UInt8(ascii: "/") else { return "must start with '/'" }
        if bytes.count == 1 { return nil }
        if bytes.contains(where: { $0 < 0x20 || $0 == 0x7F }) { return "contains a control character" }
        if bytes.last == UInt8(ascii: "/") { return "ends with '/'" }
        for segment in path.utf8.dropFirst().split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false) {
            if segment.isEmpty { return "has an empty segment ('//')" }
            var text = String(decoding: segment, as: UTF8.self)
            if segment.contains(UInt8(ascii: "%")) {
                guard let decoded = text.removingPercentEncoding else { return "has malformed percent-encoding" }
                text = decoded
            }
            if text == "." || text == ".." { return "has a dot segment ('.' or '..')" }
            if Identifier.containsControl(text) { return "contains an encoded control character (such as %00)" }
        }
        return nil
    }
}
