import Foundation
import TactEngine
import TactTestSupport
import Testing

@testable import TactCLI

/// tact ads: the taxonomy, a person's topics, campaigns, statuses and reports.
@Suite(.serialized) struct AdsCommandTests {
    let tmp = TemporaryDirectory()

    @Test("topics, a contextual campaign, a refused narrow one, the list, a status change and a report charged to the ledger")
    func commands() throws {
        let data = tmp.file("data"), out = tmp.file("gen")
        #expect(TactMain.run(["init", "--data", data]) == 0)
        #expect(TactMain.run(["generate", "--users", "60", "--items", "40", "--interactions", "1500", "--seed", "5", "--out", out]) == 0)
        #expect(TactMain.run(["import", "items", out + "/items.csv", "--data", data]) == 0)
        #expect(TactMain.run(["import", "interactions", out + "/interactions.csv", "--grant", "personalization,advertising", "--data", data]) == 0)
        #expect(TactMain.run(["ads", "topics", "--data", data]) == 0)
        #expect(TactMain.run(["ads", "topics", "u1", "--data", data]) == 0)
        let engine = try DataDirectory(path: data).open()
        let topic = try #require(try AdsService(engine: engine).taxonomy().topics.first)
        #expect(
            TactMain.run([
                "ads", "create", "--advertiser", "A", "--name", "page", "--headline", "Hi", "--url", "https://a.example",
                "--context-topics", topic, "--bid", "2", "--budget", "10", "--data", data
            ]) == 0)
        // The generated events are old: nobody has topics this week, so any interest audience is below k.
        #expect(
            TactMain.run([
                "ads", "create", "--advertiser", "A", "--name", "narrow", "--headline", "Hi", "--url", "https://a.example",
                "--topics", topic, "--bid", "2", "--budget", "10", "--data", data
            ]) == 2)
        #expect(TactMain.run(["ads", "campaigns", "--data", data]) == 0)
        let id = try #require(try AdsService(engine: engine).campaigns().first?.id)
        #expect(TactMain.run(["ads", "status", id, "paused", "--data", data]) == 0)
        #expect(TactMain.run(["ads", "status", id, "sleeping", "--data", data]) == 2)
        #expect(TactMain.run(["ads", "report", id, "--epsilon", "0.5", "--json", "--data", data]) == 0)
        #expect(try engine.store.read { try $0.privacyReleases(dataset: "ads") }.map(\.epsilon) == [0.5])
        #expect(try engine.store.read { try $0.privacyReleases(dataset: "ads") }.first?.release.hasSuffix("for advertiser cli") == true)
        #expect(TactMain.run(["ads", "report", "c_nope", "--data", data]) == 2)
    }
}
