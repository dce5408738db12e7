import Foundation
import TactCore
import TactTestSupport
import Testing

@testable import TactCLI
@testable import TactEngine

@Suite(.serialized) struct PolicyAndRetentionCommandTests {
    let tmp = TemporaryDirectory()
    var data: String { tmp.file("data") }

    @Test func retentionRunAndShow() throws {
        #expect(TactMain.run(["init", "--data", data]) == 0)
        let file = tmp.write("e.csv", "user,item,value,timestamp,kind,context\nalice,i1,1,2020-01-01,play,old\nalice,i2,1,2026-06-01,play,newer\n")
        #expect(TactMain.run(["import", "interactions", file, "--grant", "all", "--data", data]) == 0)
        #expect(TactMain.run(["retention", "show", "--data", data]) == 0)
        #expect(TactMain.run(["retention", "run", "--now", "2026-07-01T00:00:00Z", "--data", data]) == 0)
        #expect(TactMain.run(["retention", "run", "--now", "2026-07-01", "--json", "--data", data]) == 0)
        #expect(TactMain.run(["retention", "show", "--json", "--data", data]) == 0)
        #expect(TactMain.run(["retention", "run", "--now", "yesterday", "--data", data]) == 2)
        #expect(TactMain.run(["retention", "show", "--limit", "0", "--data", data]) == 2)
        let engine = try DataDirectory(path: data).open()
        var left: [StoredInteractionSummary] = []
        // Free text is stored sealed under the person's key: the kept event still has its sealed text.
        var sealed = 0
        try engine.store.read { r in
            try r.forEachInteraction {
                left.append(.init(timestamp: $0.timestamp, context: $0.context)); sealed += $0.sealedContext == nil ? 0 : 1
            }
        }
        #expect(left.count == 1 && left[0].timestamp > 1_780_000_000 && sealed == 1)
        #expect(try RetentionJob(engine: engine).recentRuns().count == 2)
    }

    @Test func policyHistoryDiffAndRecord() throws {
        #expect(TactMain.run(["init", "--data", data]) == 0)
        #expect(TactMain.run(["policy", "history", "--data", data]) == 0)
        var next = PrivacyPolicy.builtIn
        next.version = "9"
        next.contact = "dpo@example.com"
        try next.jsonData().write(to: URL(fileURLWithPath: DataDirectory(path: data).policyPath))
        #expect(TactMain.run(["policy", "history", "--json", "--data", data]) == 0)
        #expect(TactMain.run(["policy", "diff", PrivacyPolicy.builtIn.version, "9", "--data", data]) == 0)
        #expect(TactMain.run(["policy", "diff", PrivacyPolicy.builtIn.version, "9", "--json", "--data", data]) == 0)
        #expect(TactMain.run(["policy", "diff", "1", "9", "--data", data]) == 2)
        #expect(TactMain.run(["policy", "record", "--data", data]) == 0)
        #expect(TactMain.run(["policy", "record", "--format", "json", "--data", data]) == 0)
        #expect(TactMain.run(["policy", "record", "--format", "pdf", "--data", data]) == 2)
        // Same version, other text: refused with exit 1.
        next.contact = "someone@example.com"
        try next.jsonData().write(to: URL(fileURLWithPath: DataDirectory(path: data).policyPath))
        #expect(TactMain.run(["policy", "history", "--data", data]) == 1)
    }

    @Test("an old history: import counts the events past retention (or leaves them out), and a run that would delete them all is refused until confirmed")
    func oldHistoryIsNotDeletedBySurprise() throws {
        #expect(TactMain.run(["init", "--data", data]) == 0)
        // Three events from 1998 (as MovieLens), one from now.
        let now = Int64(Date().timeIntervalSince1970)
        let rows = ["user,item,value,timestamp", "a,i1,1,889000000", "a,i2,1,889000100", "b,i1,1,889000200", "b,i3,1,\(now - 60)"]
        let file = tmp.write("old.csv", rows.joined(separator: "\n") + "\n")
        let engine = try DataDirectory(path: data).open()
        let skipped = try Ingestor(engine: engine).ingest(
            try InteractionFileFormat.csv.open(path: file, defaultKind: .play),
            options: {
                var o = IngestOptions(grants: Purpose.allCases); o.leavePastRetentionOut = true; return o
            }())
        #expect(skipped.pastRetention == 3 && skipped.stored == 1, "left out, and counted")
        #expect(TactMain.run(["import", "interactions", file, "--grant", "all", "--data", data]) == 0)
        #expect(try engine.store.read { try $0.interactionCount() } == 5)
        // 3 of 5 would go: refused (exit 1), nothing deleted, the refusal recorded.
        #expect(TactMain.run(["retention", "run", "--data", data]) == 1)
        #expect(try engine.store.read { try $0.interactionCount() } == 5)
        #expect(try RetentionJob(engine: engine).recentRuns().first?.refused == true)
        #expect(TactMain.run(["retention", "run", "--confirm", "--data", data]) == 0)
        #expect(try engine.store.read { try $0.interactionCount() } == 2)
        #expect(TactMain.run(["import", "interactions", file, "--grant", "all", "--skip-expired", "--data", data]) == 0)
        #expect(try engine.store.read { try $0.interactionCount() } == 3, "only the recent event again")
    }

    @Test func serveRefusesABadRetentionInterval() {
        #expect(TactMain.run(["serve", "--data", tmp.file("none"), "--retention-max-share", "0"]) == 2)
        #expect(TactMain.run(["serve", "--data", tmp.file("none"), "--retention-max-share", "1.5"]) == 2)
        #expect(TactMain.run(["serve", "--data", tmp.file("none"), "--retention-every", "-1"]) == 2)
        #expect(TactMain.run(["serve", "--data", tmp.file("none"), "--retention-every", "0.5"]) == 2)
    }

    struct StoredInteractionSummary { var timestamp: Int64; var context: String? }
}
