import Foundation
import Hummingbird
import NIOCore
import TactCore
import TactRecommend

/// Reading what a request carries, each fault becoming a 4xx problem that names the field.
extension Request {
    /// The JSON body decoded as `T`; 413 past `limit` bytes, 400 naming the field for anything malformed.
    func decodeJSON<T: Decodable>(_ type: T.Type, limit: Int) async throws -> T {
        var request = self
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw Problem.tooLarge(limit: limit)
        }
        guard buffer.readableBytes > 0 else { throw Problem.badRequest("the request needs a JSON body; see /openapi.json") }
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer: buffer))
        } catch let error as DecodingError {
            let (field, message) = Problem.describe(error)
            throw Problem.badRequest(message, field: field)
        }
    }

    /// A query parameter as an integer within `range`, or `defaultValue` when absent.
    func queryInt(_ name: String, default defaultValue: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = uri.queryParameters.get(name) else { return defaultValue }
        guard let value = Int(text), range.contains(value) else {
            throw Problem.badRequest("the query parameter '\(name)' must be a whole number from \(range.lowerBound) to \(range.upperBound)", field: name)
        }
        return value
    }

    /// A query parameter as a number within `range`, or `defaultValue` when absent.
    func queryNumber(_ name: String, default defaultValue: Double, range: ClosedRange<Double>) throws -> Double {
        guard let text = uri.queryParameters.get(name) else { return defaultValue }
        guard let value = Double(text), value.isFinite, range.contains(value) else {
            throw Problem.badRequest("the query parameter '\(name)' must be a number from \(range.lowerBound) to \(range.upperBound)", field: name)
        }
        return value
    }

    /// A query parameter as a number from 0 to 1, or `defaultValue` when absent.
    func queryFraction(_ name: String, default defaultValue: Float) throws -> Float {
        guard let text = uri.queryParameters.get(name) else { return defaultValue }
        guard let value = Float(text), value.isFinite, (0...1).contains(value) else {
            throw Problem.badRequest("the query parameter '\(name)' must be a number from 0 to 1", field: name)
        }
        return value
    }

    /// The diversity, novelty, group-cap and exploration parameters a recommendation request may carry
    /// (`mmrLambda`, `novelty`, `maxPerTag`, `exploration`); none of them changes the list by default.
    func rerankOptions(k: Int) throws -> RerankOptions {
        let cap = try queryInt("maxPerTag", default: 0, range: 0...200)
        return RerankOptions(
            lambda: try queryFraction("mmrLambda", default: 1), maxPerGroup: cap > 0 ? cap : nil,
            novelty: try queryFraction("novelty", default: 0), exploration: try queryFraction("exploration", default: 0))
    }

    /// Every value of a repeatable query parameter (`tag=a&tag=b`, or `tag=a,b`): at most `limit` values, each at
    /// most 256 characters without control characters, or a 400 naming the parameter.
    func queryList(_ name: String, limit: Int = 100) throws -> [String] {
        let values = uri.queryParameters.getAll(name).flatMap { $0.split(separator: ",").map(String.init) }.filter { !$0.isEmpty }
        guard values.count <= limit else { throw Problem.badRequest("'\(name)' takes at most \(limit) values; this request has \(values.count)", field: name) }
        for value in values where value.unicodeScalars.count > 256 || Identifier.containsControl(value) {
            throw Problem.badRequest("each value of '\(name)' is at most 256 characters, without control characters", field: name)
        }
        return values
    }

    /// Whether the request carries the Global Privacy Control signal.
    var globalPrivacyControl: Bool {
        request.headers[.secGPC]?.trimmingWhitespace() == "1"
    }

    private var request: Request { self }
}

extension TactRequestContext {
    /// A path parameter, percent-decoded, 1 to 256 characters.
    func pathValue(_ name: String) throws -> String {
        guard let raw = parameters.get(name) else { throw Problem.badRequest("the path needs a '\(name)'", field: name) }
        let value = raw.utf8.contains(UInt8(ascii: "%")) ? (raw.removingPercentEncoding ?? raw) : raw
        guard !value.isEmpty, value.unicodeScalars.count <= 256 else {
            throw Problem.badRequest("'\(name)' must be 1 to 256 characters long", field: name)
        }
        guard !Identifier.containsControl(value) else {
            throw Problem.badRequest("'\(name)' contains a control character (such as %00); identifiers never do", field: name)
        }
        return value
    }
}

/// Responses with JSON bodies.
enum JSONResponse {
    static func make<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
