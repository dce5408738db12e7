import Foundation
import TactCore
import TactPrivacy
import TactTestSupport
import Testing

@testable import TactEngine

/// Free text in events is scrubbed of personal data before it is sealed and stored, under the
/// configured policy; the raw values never reach the store.
@Suite struct PIIScrubbingTests {
    let tmp = TemporaryDirectory()

    func engine(policy: PIIScrubbingPolicy?) throws -> Engine {
        let dir = DataDirectory(path: tmp.file("data"), environment: [:])
        try dir.initialize(mode: .optIn)
        var configuration = try TactConfiguration.load(path: dir.configPath)
        configuration.piiScrubbing = policy
        try configuration.write(path: dir.configPath)
        return try dir.open()
    }

    func ingest(_ engine: Engine, _ texts: [String]) throws -> IngestReport {
        let events = texts.enumerated().map { k, text in
            IncomingInteraction(user: "ann", item: "i\(k)", kind: .play, timestamp: 1_700_000_000 + Int64(k), context: text)
        }
        return try Ingestor(engine: engine).ingest(events, options: IngestOptions(grants: [.personalization], grantNote: "test"))
    }

    func storedContexts(_ engine: Engine) throws -> [String] {
        try SubjectExporter(engine: engine).export(user: "ann", actor: "test").interactions.compactMap(\.context).sorted()
    }

    @Test("by default every finding is replaced by its type before storage, and counted")
    func standard() throws {
        let engine = try engine(policy: nil)
        let report = try ingest(engine, ["call me at +1 415-555-2671 or jane@example.com", "nothing personal here"])
        #expect(report.scrubbed == [.phone: 1, .email: 1])
        // What the store holds, opened: the scrubbed text. (Searching the database file for the raw address
        // would prove nothing: the text is sealed before storage, scrubbed or not.)
        #expect(try storedContexts(engine) == ["call me at <PHONE> or <EMAIL>", "nothing personal here"])
    }

    @Test("per-type operators: e-mail addresses get the same keyed pseudonym every time; a disabled policy stores the text")
    func configured() throws {
        let engine = try engine(policy: PIIScrubbingPolicy(operator: .redact, operators: ["EMAIL": .hash], types: ["EMAIL", "CREDIT_CARD"]))
        _ = try ingest(engine, ["from jane@example.com", "again jane@example.com, card 4111 1111 1111 1111, phone 415-555-2671"])
        let stored = try storedContexts(engine)
        #expect(stored.count == 2 && stored.allSatisfy { !$0.contains("jane@") })
        let tags = stored.map { s in s.range(of: "<EMAIL:[0-9a-f]+>", options: .regularExpression).map { String(s[$0]) } ?? "" }
        #expect(tags[0] == tags[1] && !tags[0].isEmpty)
        #expect(stored.contains { $0.contains("card ,") && $0.contains("415-555-2671") })  // card redacted; phones not in the policy's types
    }

    @Test("scrubbing can be turned off, and a policy naming an unknown type is refused when the engine opens")
    func disabledAndInvalid() throws {
        let engine = try engine(policy: PIIScrubbingPolicy(enabled: false))
        _ = try ingest(engine, ["mail jane@example.com"])
        #expect(try storedContexts(engine) == ["mail jane@example.com"])
        let dir = DataDirectory(path: tmp.file("data"), environment: [:])
        var configuration = try TactConfiguration.load(path: dir.configPath)
        configuration.piiScrubbing = PIIScrubbingPolicy(types: ["EMAIL", "SHOE_SIZE"])
        try configuration.write(path: dir.configPath)
        #expect(throws: EngineError.self) { _ = try dir.open() }
    }
}
