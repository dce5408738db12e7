import TactTestSupport
import Testing

@testable import TactCLI

/// A data directory as the command tests start from: a generated catalog of 40 items, 1,500 events by
/// 60 people who consent to personalization and model training, and an iALS model (8 factors).
func trainedDataDirectory(in tmp: TemporaryDirectory) -> String {
    let data = tmp.file("data"), out = tmp.file("gen")
    #expect(TactMain.run(["init", "--data", data]) == 0)
    #expect(TactMain.run(["generate", "--users", "60", "--items", "40", "--interactions", "1500", "--seed", "5", "--out", out]) == 0)
    #expect(TactMain.run(["import", "items", out + "/items.csv", "--data", data]) == 0)
    #expect(TactMain.run(["import", "interactions", out + "/interactions.csv", "--grant", "personalization,model-training", "--data", data]) == 0)
    // A quick model for the commands to serve: its quality is not the point, so the popularity guard is waived.
    #expect(TactMain.run(["train", "--factors", "8", "--iterations", "3", "--force", "--data", data]) == 0)
    return data
}
