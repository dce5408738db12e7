import Foundation
import HTTPTypes
import Hummingbird

/// An error answered as an RFC 9457 problem document (`application/problem+json`).
public struct Problem: Error, Sendable, Encodable {
    public var status: Int
    /// A short, stable summary of the kind of problem.
    public var title: String
    /// What was wrong in this request and what to do about it.
    public var detail: String
    /// A URI naming the kind of problem (relative to the API).
    public var type: String
    /// The request field at fault, as a path such as `events[3].kind`, when one is.
    public var field: String?
    /// The request id, to find the matching log lines.
    public var instance: String?
    /// Seconds to wait before retrying, for 429 and 503.
    public var retryAfter: Int?
    /// The methods the path allows, for 405.
    var allow: String?

    public init(status: HTTPResponse.Status, type: String, title: String, detail: String, field: String? = nil, retryAfter: Int? = nil) {
        self.status = status.code
        self.type = "/problems/" + type
        self.title = title
        self.detail = detail
        self.field = field
        self.retryAfter = retryAfter
    }

    enum CodingKeys: String, CodingKey { case status, title, detail, type, field, instance }

    public static func badRequest(_ detail: String, field: String? = nil) -> Problem {
        Problem(status: .badRequest, type: "invalid-request", title: "The request is not valid", detail: detail, field: field)
    }

    public static func unauthorized(_ detail: String) -> Problem {
        Problem(status: .unauthorized, type: "unauthorized", title: "Authentication required", detail: detail)
    }

    public static func forbidden(_ detail: String) -> Problem {
        Problem(status: .forbidden, type: "forbidden", title: "Not allowed", detail: detail)
    }

    public static func notFound(_ detail: String, field: String? = nil) -> Problem {
        Problem(status: .notFound, type: "not-found", title: "Not found", detail: detail, field: field)
    }

    /// A body over the limit (when the limit is known, it is named).
    public static func tooLarge(limit: Int? = nil) -> Problem {
        Problem(
            status: .contentTooLarge, type: "too-large", title: "The request body is too large",
            detail: "the body is larger than \(limit.map { "\($0) bytes" } ?? "this server accepts"); split the request into smaller ones")
    }

    public static func uriTooLong(limit: Int) -> Problem {
        Problem(
            status: .uriTooLong, type: "uri-too-long", title: "The address is too long",
            detail: "the path and query are at most \(limit) bytes; send long lists in fewer requests")
    }

    public static func rateLimited(retryAfter: Int) -> Problem {
        Problem(
            status: .tooManyRequests, type: "rate-limited", title: "Too many requests",
            detail: "this key has used its request rate; retry after \(retryAfter) s or ask for a higher limit", retryAfter: retryAfter)
    }

    /// The request is valid but does not fit the state it meets (a federated step already closed, for example).
    public static func conflict(_ detail: String) -> Problem {
        Problem(status: .conflict, type: "conflict", title: "Not in this state", detail: detail)
    }

    public static func unavailable(_ detail: String, retryAfter: Int = 1) -> Problem {
        Problem(status: .serviceUnavailable, type: "unavailable", title: "Service unavailable", detail: detail, retryAfter: retryAfter)
    }

    /// The problem as a response, tagged with the request id.
    func response(requestID: String?) -> Response {
        var problem = self
        problem.instance = requestID.map { "urn:tact:request:" + $0 }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(problem)) ?? Data(#"{"status":500,"title":"Internal error"}"#.utf8)
        var headers: HTTPFields = [.contentType: "application/problem+json"]
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        if status == 401 { headers[.wwwAuthenticate] = #"Bearer realm="tact""# }
        if let allow { headers[.allow] = allow }
        return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
