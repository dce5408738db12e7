import Foundation
import GRDB
import TactCore
import TactTestSupport
import Testing

@testable import TactCLI
@testable import TactEngine

@Suite(.serialized) struct AuditCommandTests {
    let tmp = TemporaryDirectory()
    var data: String { tmp.file("data") }

    @Test("verify, checkpoint, show and key: exit 0 when intact, 1 when tampered, 2 on bad use")
    func exitCodes() throws {
        #expect(TactMain.run(["audit", "verify", "--data", data]) == 1)  // no data directory
        #expect(TactMain.run(["init", "--data", data]) == 0)
        for name in ["a", "b", "c"] {
            #expect(TactMain.run(["keys", "create", "--name", name, "--scopes", "ingest", "--data", data]) == 0)  // audited
        }
        #expect(TactMain.run(["audit", "verify", "--data", data]) == 0)  // no checkpoint yet, no key needed
        #expect(TactMain.run(["audit", "checkpoint", "--data", data]) == 0)
        #expect(TactMain.run(["audit", "verify", "--data", data]) == 0)
        #expect(TactMain.run(["audit", "show", "--data", data]) == 0)
        #expect(TactMain.run(["audit", "show", "--limit", "0", "--data", data]) == 2)
        #expect(TactMain.run(["audit", "key", "--data", data]) == 0)
        #expect(TactMain.run(["audit", "verify", "--public-key", "zz", "--data", data]) == 2)
        let directory = DataDirectory(path: data, environment: [:])
        let key = try #require(try AuditSigningKey.existing(in: directory))
        #expect(TactMain.run(["audit", "verify", "--public-key", key.publicKeyHex, "--data", data]) == 0)
        #expect(TactMain.run(["audit", "verify", "--public-key", AuditSigningKey.generate().publicKeyHex, "--data", data]) == 1)

        let db = try DatabaseQueue(path: directory.databasePath)
        try db.write { db in
            try db.execute(sql: "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor = 'someone else' WHERE id = 2")
        }
        #expect(TactMain.run(["audit", "verify", "--data", data]) == 1)
        #expect(TactMain.run(["audit", "show", "--data", data]) == 0)  // showing still works
    }
}
