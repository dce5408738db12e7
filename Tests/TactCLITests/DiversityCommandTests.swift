import Foundation
import TactTestSupport
import Testing

@testable import TactCLI

/// tact playlist, and the diversity options of tact recommend and tact evaluate.
@Suite(.serialized) struct DiversityCommandTests {
    let tmp = TemporaryDirectory()

    @Test("playlists for a person and from a seed; recommend with MMR, caps, novelty and exploration; evaluate --tradeoff draws every λ")
    func commands() throws {
        let data = trainedDataDirectory(in: tmp)
        #expect(TactMain.run(["playlist", "u1", "--length", "10", "--data", data]) == 0)
        #expect(TactMain.run(["playlist", "u1", "--length", "10", "--familiar-share", "0.5", "--max-per-tag", "4", "--json", "--data", data]) == 0)
        #expect(TactMain.run(["playlist", "--seed-item", "i1", "--length", "5", "--data", data]) == 0)
        #expect(TactMain.run(["playlist", "--seed-item", "no-such-item", "--data", data]) == 1)
        #expect(TactMain.run(["playlist", "--data", data]) == 2, "a person or --seed-item")
        #expect(TactMain.run(["playlist", "u1", "--smoothness", "3", "--data", data]) == 2)
        #expect(TactMain.run(["recommend", "u1", "--mmr-lambda", "0.5", "--max-per-tag", "2", "--novelty", "0.2", "--exploration", "0.2", "--data", data]) == 0)
        #expect(TactMain.run(["recommend", "u1", "--mmr-lambda", "2", "--data", data]) == 2)
        let chart = tmp.file("tradeoff.svg")
        #expect(TactMain.run(["evaluate", "--factors", "8", "--iterations", "3", "--tradeoff", chart, "--tradeoff-lambdas", "1,0.6,0.2", "--data", data]) == 0)
        let svg = try String(contentsOfFile: chart, encoding: .utf8)
        #expect(svg.hasPrefix("<svg") && svg.contains("λ 1") && svg.contains("λ 0.6") && svg.contains("λ 0.2"))
        #expect(TactMain.run(["evaluate", "--tradeoff", chart, "--tradeoff-lambdas", "1,7", "--data", data]) == 2)
        #expect(
            TactMain.run(["evaluate", "--factors", "8", "--iterations", "3", "--mmr-lambda", "0.7", "--novelty-weight", "0.1", "--json", "--data", data]) == 0)
    }
}
