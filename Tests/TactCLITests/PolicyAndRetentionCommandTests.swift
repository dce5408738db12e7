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

    @Test func serveRefusesABadRetentionInterval() {
        #expect(TactMain.run(["serve", "--data", tmp.file("none"), "--retention-every", "-1"]) == 2)
        #expect(TactMain.run(["serve", "--data", tmp.file("none"), "--retention-every", "0.5"]) == 2)
    }

    struct StoredInteractionSummary { var timestamp: Int64; var context: String? }
}
