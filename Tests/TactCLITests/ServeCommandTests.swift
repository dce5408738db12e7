import TactTestSupport
import Testing

@testable import TactCLI

@Suite struct ServeCommandTests {
    @Test("tact serve refuses bad options (exit 2) and a missing data directory (exit 1) before listening")
    func refusals() {
        let tmp = TemporaryDirectory()
        #expect(TactMain.run(["serve", "--data", tmp.file("none"), "--port", "0"]) == 2)
        #expect(TactMain.run(["serve", "--data", tmp.file("none"), "--rate", "-1"]) == 2)
        #expect(TactMain.run(["serve", "--data", tmp.file("none"), "--cache-seconds", "-1"]) == 2)
        #expect(TactMain.run(["serve", "--data", tmp.file("none"), "--cache-megabytes", "0"]) == 2)
        #expect(TactMain.run(["serve", "--data", tmp.file("none"), "--io-threads", "0"]) == 2)
        #expect(TactMain.run(["serve", "--data", tmp.file("none"), "--port", "18999"]) == 1)
        #expect(TactMain.run(["demo", "--data", tmp.file("demo"), "--port", "70000"]) == 2)
    }
}
