import Foundation
import TactTestSupport
import Testing

@testable import TactCLI

/// tact guard audit-model on a file: it runs the attack on iALS and DP-ALS, and refuses settings it cannot honour.
@Suite(.serialized) struct GuardCommandTests {
    let tmp = TemporaryDirectory()

    @Test("audit-model attacks iALS and DP-ALS on an interaction file; too many targets or a bad ε exit 2")
    func auditModel() throws {
        var lines = ["user,item,value,timestamp"]
        for u in 0..<60 {
            for i in 0..<12 { lines.append("u\(u),i\((u % 4) * 12 + (i * 5 + u) % 12),1,\(i)") }
        }
        let file = tmp.write("e.csv", lines.joined(separator: "\n") + "\n")
        #expect(
            TactMain.run([
                "guard", "audit-model", "--input", file, "--targets", "20", "--factors", "8", "--iterations", "3",
                "--epsilons", "8", "--json"
            ]) == 0)
        #expect(TactMain.run(["guard", "audit-model", "--input", file, "--targets", "40"]) == 2)  // 60 people, 80 targets asked
        #expect(TactMain.run(["guard", "audit-model", "--input", file, "--targets", "20", "--epsilons", "x"]) == 2)
    }
}
