import Foundation
import Testing

@testable import TactCLI

/// `tact serve`'s Guard options for the long horizon and for several servers.
@Suite struct GuardServeOptionsTests {
    @Test("--guard-daily-persons KEY_ID=N names what a key's role needs; a malformed value says what is expected; --guard-shared is yes, no or auto")
    func options() throws {
        #expect(try ServerOptions.dailyPersons(["k1=50", "k2=7"]) == ["key:k1": 50, "key:k2": 7])
        for bad in ["k1", "=5", "k1=0", "k1=many"] {
            #expect(throws: (any Error).self) { try ServerOptions.dailyPersons([bad]) }
        }
        do {
            _ = try ServerOptions.dailyPersons(["k1=-3"])
            Issue.record("a negative count was accepted")
        } catch {
            #expect("\(error)".contains("KEY_ID=N") && "\(error)".contains("k1=-3"))
        }
        #expect(throws: (any Error).self) { try ServerOptions.parse(["--guard-shared", "maybe"]) }
        #expect(try ServerOptions.parse(["--guard-shared", "yes", "--guard-daily-persons", "k9=20"]).guardDailyPersons == ["k9=20"])
    }
}
