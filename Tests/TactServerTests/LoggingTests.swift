import Foundation
import HummingbirdTesting
import Logging
import NIOConcurrencyHelpers
import Testing

@testable import TactServer

/// Collects every log line a logger writes, with its metadata, for inspection.
final class CollectingLogHandler: LogHandler, @unchecked Sendable {
    let lines = NIOLockedValueBox<[String]>([])
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    func log(level: Logger.Level, message: Logger.Message, metadata extra: Logger.Metadata?, source: String, file: String, function: String, line: UInt) {
        let all = metadata.merging(extra ?? [:]) { $1 }
        lines.withLockedValue { $0.append("\(level) \(message) \(all.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: " "))") }
    }
}

@Suite struct LoggingTests {
    @Test("request logs carry request ids and route templates, never the person's id")
    func noRawIDs() async throws {
        let f = try ServerFixture()
        let handler = CollectingLogHandler()
        let logger = Logger(label: "test") { _ in handler }
        let person = "alice.secret-person@example.com"
        try await f.api.application(logger: logger).test(.router) { client in
            _ = try await client.call(.get, "/v1/people/\(person)/recommendations", auth: f.keys[.recommend]!)
            _ = try await client.call(.post, "/v1/events", auth: f.keys[.ingest]!, json: #"{"events":[{"user":"\#(person)","item":"r1"}]}"#)
            _ = try await client.call(.get, "/v1/people/\(person)/consent", auth: f.keys[.subjects]!)
            _ = try await client.call(.get, "/v1/people/\(person)/consent", auth: "tact_wrong")
        }
        let lines = handler.lines.withLockedValue { $0 }
        let requests = lines.filter { $0.contains("route=") }
        #expect(requests.count >= 4, "\(lines)")
        #expect(requests.allSatisfy { $0.contains("hb.request.id=") })
        #expect(requests.contains { $0.contains("route=/v1/people/{person}/recommendations") })
        #expect(!lines.contains { $0.contains("alice") }, "\(lines.filter { $0.contains("alice") })")
    }
}
