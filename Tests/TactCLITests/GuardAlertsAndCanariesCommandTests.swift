import Foundation
import TactCore
import TactEngine
import TactStore
import TactTestSupport
import Testing

@testable import TactCLI

/// `tact guard plant-canaries` and `tact guard alerts` by their effect: the canaries are in the file the
/// server reads and in the store, and the alerts listed are those stored, newest first.
@Suite(.serialized) struct GuardAlertsAndCanariesCommandTests {
    let tmp = TemporaryDirectory()
    var data: String { tmp.file("data") }

    @Test("plant-canaries plants N canary persons: N pseudonyms in DIR/guard-canaries (0600), each a person in the store; more add up")
    func plantCanariesCreatesThem() throws {
        #expect(TactMain.run(["init", "--data", data]) == 0)
        #expect(TactMain.run(["guard", "plant-canaries", "--count", "3", "--data", data]) == 0)
        let engine = try DataDirectory(path: data, environment: [:]).open()
        let first = try GuardCanaries.load(from: engine.directory)
        #expect(first.count == 3)
        let path = GuardCanaries.file(in: engine.directory)
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int == 0o600)
        // Each looks like any other person: stored, with a consent record (a grant of personalization).
        let subjects = try engine.store.read { r in
            try first.map { hex in try r.subjectRow(for: #require(Pseudonym(hex: hex))).map { try r.consentState(of: $0) } }
        }
        #expect(subjects.count == 3 && subjects.allSatisfy { $0?.entries[.personalization]?.decision == .grant })
        #expect(TactMain.run(["guard", "plant-canaries", "--count", "2", "--data", data]) == 0)
        let all = try GuardCanaries.load(from: engine.directory)
        #expect(all.count == 5 && all.isSuperset(of: first))
        let audit = try engine.store.read { try $0.recentAuditEntries(limit: 20) }.filter { $0.action == "guard.canaries" }
        #expect(audit.map(\.detail).sorted() == ["planted=2 total=5", "planted=3 total=3"])
        #expect(TactMain.run(["guard", "plant-canaries", "--count", "0", "--data", data]) == 1)
        #expect(try GuardCanaries.load(from: engine.directory).count == 5)
    }

    @Test("alerts lists the alerts raised beforehand, newest first, with what was done; --limit keeps the newest")
    func alertsListsStoredAlerts() throws {
        #expect(TactMain.run(["init", "--data", data]) == 0)
        let (_, empty) = runCapturingOutput(["guard", "alerts", "--data", data])
        #expect(empty.contains("No alerts."))
        let engine = try DataDirectory(path: data, environment: [:]).open()
        try engine.store.write { w in
            _ = try w.appendGuardAlert(
                GuardAlertRecord(
                    at: 1_700_000_000, principal: "key:k1a2b3c4d5e", severity: "high", kind: "volume",
                    explanation: "key:k1a2b3c4d5e read 408 distinct persons in 19 s", persons: 408, action: "suspend"))
            _ = try w.appendGuardAlert(
                GuardAlertRecord(
                    at: 1_700_000_600, principal: "person-token:t9", severity: "medium", kind: "errors",
                    explanation: "person-token:t9 got 30 error answers in 5 minutes", persons: 3, action: "alert"))
        }
        let (status, output) = runCapturingOutput(["guard", "alerts", "--json", "--data", data])
        #expect(status == 0)
        let alerts = try #require(lastJSONObject(output)?["alerts"] as? [[String: Any]], "\(output)")
        #expect(alerts.map { $0["kind"] as? String } == ["errors", "volume"])  // newest first
        let volume = try #require(alerts.last)
        #expect(volume["principal"] as? String == "key:k1a2b3c4d5e" && volume["severity"] as? String == "high")
        #expect(volume["action"] as? String == "suspend" && volume["persons"] as? Int == 408 && volume["at"] as? Int == 1_700_000_000)
        #expect(volume["explanation"] as? String == "key:k1a2b3c4d5e read 408 distinct persons in 19 s")
        let (_, limited) = runCapturingOutput(["guard", "alerts", "--json", "--limit", "1", "--data", data])
        #expect((lastJSONObject(limited)?["alerts"] as? [[String: Any]])?.map { $0["kind"] as? String } == ["errors"])
        let (_, table) = runCapturingOutput(["guard", "alerts", "--data", data])
        #expect(table.contains("read 408 distinct persons in 19 s") && table.contains("suspend") && table.contains("got 30 error answers"))
    }
}
