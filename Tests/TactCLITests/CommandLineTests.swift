import Foundation
import TactCore
import TactTestSupport
import Testing

@testable import TactCLI
@testable import TactEngine

@Suite(.serialized) struct CommandLineTests {
    let tmp = TemporaryDirectory()
    var data: String { tmp.file("data") }

    @Test func helpAndUsageErrors() {
        #expect(TactMain.run(["--help"]) == 0)
        #expect(TactMain.run(["import", "interactions", "--help"]) == 0)
        #expect(TactMain.run(["frobnicate"]) == 2)
        #expect(TactMain.run(["import", "interactions"]) == 2)  // missing FILE
        #expect(TactMain.run(["init", "--mode", "maybe", "--data", data]) == 2)  // bad mode
        #expect(TactMain.run(["consent", "grant", "alice", "marketing", "--data", data]) == 2)
        #expect(TactMain.run(["generate", "--users", "0", "--out", tmp.file("g")]) == 2)
    }

    @Test func dataErrorsExitOne() {
        #expect(TactMain.run(["init", "--data", data]) == 0)
        let bad = tmp.write("bad.csv", "user,item,value,timestamp\nu1,i1,abc,10\n")
        #expect(TactMain.run(["import", "interactions", bad, "--data", data]) == 1)
        #expect(TactMain.run(["import", "interactions", tmp.file("missing.csv"), "--data", data]) == 1)
        #expect(TactMain.run(["stats", "--data", tmp.file("never-created")]) == 1)
        #expect(TactMain.run(["consent", "show", "alice", "--data", tmp.file("never-created")]) == 1)
    }

    @Test func initImportConsentStats() throws {
        #expect(TactMain.run(["init", "--mode", "opt-in", "--data", data]) == 0)
        let file = tmp.write("e.csv", "user,item,value,timestamp\nalice,i1,1,10\nbob,i2,1,11\n")
        #expect(TactMain.run(["consent", "grant", "alice", "personalization", "--data", data]) == 0)
        #expect(TactMain.run(["import", "interactions", file, "--data", data, "--json"]) == 0)
        #expect(TactMain.run(["consent", "show", "alice", "--data", data]) == 0)
        #expect(TactMain.run(["consent", "deny", "alice", "all", "--data", data]) == 0)
        #expect(TactMain.run(["stats", "--data", data]) == 0)
        let engine = try DataDirectory(path: data).open()
        let s = try engine.statistics()
        #expect(s.interactions == 1 && s.refusals == [.personalization: 1])
        #expect(s.denied[.personalization] == 1)
    }

    @Test func generateThenImportWithGrant() throws {
        let out = tmp.file("gen")
        #expect(TactMain.run(["generate", "--users", "30", "--items", "20", "--interactions", "400", "--seed", "3", "--out", out]) == 0)
        #expect(TactMain.run(["import", "items", out + "/items.csv", "--data", data]) == 0)
        #expect(TactMain.run(["import", "interactions", out + "/interactions.csv", "--grant", "personalization,model-training", "--data", data]) == 0)
        let s = try DataDirectory(path: data).open().statistics()
        #expect(s.interactions == 400 && s.items == 20 && s.subjects == 30)
        #expect(s.granted[.modelTraining] == 30)
    }

    @Test func demoRunsEndToEnd() throws {
        let dir = tmp.file("demo")
        #expect(TactMain.run(["demo", "--data", dir, "--users", "50", "--items", "30", "--interactions", "600"]) == 0)
        // Running it again replaces the earlier demo.
        #expect(TactMain.run(["demo", "--data", dir, "--users", "50", "--items", "30", "--interactions", "600"]) == 0)
        let s = try DataDirectory(path: dir).open().statistics()
        #expect(s.subjects == 46)  // 4 of 50 gave no consent: no pseudonym is kept for them
        // It refuses to clear a directory it did not write.
        let foreign = tmp.file("foreign")
        tmp.write("foreign/thesis.tex", "precious")
        #expect(TactMain.run(["demo", "--data", foreign, "--users", "50", "--items", "30", "--interactions", "600"]) == 2)
        #expect(FileManager.default.fileExists(atPath: foreign + "/thesis.tex"))
    }

    @Test func trainRecommendExplainEvaluateTune() throws {
        let out = tmp.file("gen2")
        #expect(TactMain.run(["generate", "--users", "60", "--items", "40", "--interactions", "1500", "--seed", "5", "--out", out]) == 0)
        #expect(TactMain.run(["import", "items", out + "/items.csv", "--data", data]) == 0)
        #expect(TactMain.run(["import", "interactions", out + "/interactions.csv", "--grant", "personalization,model-training", "--data", data]) == 0)
        #expect(TactMain.run(["recommend", "u1", "--data", data]) == 1)  // no model yet: says to train
        // With --json nothing listens to the iterations: no loss unless --loss asks; reading and training are timed apart.
        let quiet = runCapturingOutput(["train", "--factors", "8", "--iterations", "3", "--force", "--data", data, "--json"])
        #expect(quiet.status == 0)
        let quietJSON = try #require(lastJSONObject(quiet.output))
        #expect(quietJSON["loss"] == nil && (quietJSON["read_seconds"] as? Double ?? -1) >= 0)
        let withLoss = runCapturingOutput(["train", "--factors", "8", "--iterations", "3", "--force", "--loss", "--data", data, "--json"])
        #expect(withLoss.status == 0)
        #expect((lastJSONObject(withLoss.output)?["loss"] as? Double ?? -1) > 0)
        let model = data + "/models/als.tactmodel"
        #expect(FileManager.default.fileExists(atPath: model))
        #expect(TactMain.run(["recommend", "u1", "--k", "5", "--data", data]) == 0)
        #expect(TactMain.run(["recommend", "u1", "--tag", "jazz", "--json", "--data", data]) == 0)
        #expect(TactMain.run(["recommend", "someone-new", "--data", data]) == 0)  // popular fallback
        #expect(TactMain.run(["similar", "i1", "--data", data]) == 0)
        #expect(TactMain.run(["similar", "no-such-item", "--data", data]) == 1)
        #expect(TactMain.run(["explain", "u1", "i2", "--data", data]) == 0)
        #expect(TactMain.run(["evaluate", "--factors", "8", "--iterations", "3", "--data", data, "--json"]) == 0)
        #expect(TactMain.run(["evaluate", "--algorithm", "knn", "--split", "last", "--data", data]) == 0)
        #expect(TactMain.run(["tune", "--trials", "2", "--iterations", "2", "--data", data]) == 0)
        #expect(TactMain.run(["train", "--algorithm", "knn", "--data", data]) == 0)
        #expect(TactMain.run(["recommend", "u1", "--algorithm", "knn", "--data", data]) == 0)
        #expect(TactMain.run(["similar", "i1", "--algorithm", "knn", "--data", data]) == 0)
        #expect(TactMain.run(["explain", "u1", "i2", "--algorithm", "knn", "--data", data]) == 1)  // iALS only
        #expect(TactMain.run(["train", "--algorithm", "ease", "--ease-regularization", "50", "--data", data, "--json"]) == 0)
        #expect(TactMain.run(["recommend", "u1", "--algorithm", "ease", "--json", "--data", data]) == 0)
        #expect(TactMain.run(["similar", "i1", "--algorithm", "ease", "--data", data]) == 0)
        #expect(TactMain.run(["explain", "u1", "i2", "--algorithm", "ease", "--data", data]) == 0)
        #expect(TactMain.run(["evaluate", "--algorithm", "ease", "--split", "stratified", "--test-fraction", "0.25", "--data", data, "--json"]) == 0)
        #expect(TactMain.run(["train", "--algorithm", "ease", "--ease-regularization", "0", "--data", data]) == 2)
        #expect(TactMain.run(["train", "--algorithm", "popular", "--data", data]) == 0)
        #expect(TactMain.run(["recommend", "u1", "--algorithm", "popular", "--data", data]) == 0)
        #expect(TactMain.run(["similar", "i1", "--algorithm", "popular", "--data", data]) == 1)
        // A damaged model file is refused with a clear error, not a crash.
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: model)))
        bytes[bytes.count / 2] ^= 0xFF
        try Data(bytes).write(to: URL(fileURLWithPath: model))
        #expect(TactMain.run(["recommend", "u1", "--data", data]) == 1)
    }
}
