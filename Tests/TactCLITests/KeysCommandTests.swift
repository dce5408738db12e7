import Foundation
import TactCore
import TactTestSupport
import Testing

@testable import TactCLI
@testable import TactEngine

@Suite(.serialized) struct KeysCommandTests {
    let tmp = TemporaryDirectory()
    var data: String { tmp.file("data") }

    @Test func createListRevoke() throws {
        #expect(TactMain.run(["init", "--data", data]) == 0)
        #expect(TactMain.run(["keys", "list", "--data", data]) == 0)  // none yet
        #expect(TactMain.run(["keys", "create", "--name", "web", "--scopes", "ingest,recommend", "--data", data]) == 0)
        #expect(TactMain.run(["keys", "create", "--name", "ops", "--scopes", "admin", "--json", "--data", data]) == 0)

        let keys = APIKeyService(engine: try DataDirectory(path: data).open())
        let listed = try keys.list()
        #expect(listed.count == 2)
        let web = try #require(listed.first { $0.name == "web" })
        #expect(web.scopes == ["ingest", "recommend"] && !web.isRevoked)

        #expect(TactMain.run(["keys", "list", "--data", data]) == 0)
        #expect(TactMain.run(["keys", "list", "--json", "--data", data]) == 0)
        #expect(TactMain.run(["keys", "revoke", web.id, "--data", data]) == 0)
        #expect(try keys.list().first { $0.id == web.id }?.isRevoked == true)
        #expect(TactMain.run(["keys", "revoke", web.id, "--data", data]) == 0)  // again: no change, no error
        #expect(TactMain.run(["keys", "list", "--data", data]) == 0)
    }

    @Test("--role and --hours give a key its role (an app by default), shown in the list and the audit; 'keys role' changes it; bad ones are usage errors")
    func roles() throws {
        #expect(TactMain.run(["init", "--data", data]) == 0)
        #expect(TactMain.run(["keys", "create", "--name", "web", "--scopes", "recommend", "--data", data]) == 0)
        #expect(TactMain.run(["keys", "create", "--name", "nightly", "--scopes", "recommend", "--role", "batch", "--hours", "02-05", "--data", data]) == 0)
        #expect(TactMain.run(["keys", "create", "--name", "x", "--scopes", "recommend", "--role", "owner", "--data", data]) == 2)
        #expect(TactMain.run(["keys", "create", "--name", "x", "--scopes", "recommend", "--role", "batch", "--hours", "2-2", "--data", data]) == 2)
        let engine = try DataDirectory(path: data).open()
        let keys = APIKeyService(engine: engine)
        var listed = try keys.list()
        #expect(listed.count == 2)
        let web = try #require(listed.first { $0.name == "web" }), nightly = try #require(listed.first { $0.name == "nightly" })
        #expect(web.role == "app" && nightly.role == "batch 02-05")
        #expect(TactMain.run(["keys", "role", web.id, "--role", "support", "--data", data]) == 0)
        #expect(TactMain.run(["keys", "role", web.id, "--role", "nobody", "--data", data]) == 2)
        #expect(TactMain.run(["keys", "role", "k0000000000", "--role", "app", "--data", data]) == 2)
        listed = try keys.list()
        #expect(listed.first { $0.id == web.id }?.role == "support")
        let audit = try engine.audit.recentEntries(limit: 10).map(\.detail)
        #expect(audit.contains { $0.contains("id=\(nightly.id)") && $0.contains("role=batch hours=02-05") })
        #expect(audit.contains { $0.contains("id=\(web.id) role=support was=app") })
        #expect(TactMain.run(["keys", "list", "--data", data]) == 0)
    }

    @Test func usageAndDataErrors() throws {
        #expect(TactMain.run(["keys", "--help"]) == 0)
        #expect(TactMain.run(["init", "--data", data]) == 0)
        #expect(TactMain.run(["keys", "create", "--name", "web", "--data", data]) == 2)  // no --scopes
        #expect(TactMain.run(["keys", "create", "--name", "web", "--scopes", "ingest,read", "--data", data]) == 2)  // unknown scope
        #expect(TactMain.run(["keys", "create", "--name", "web", "--scopes", ",", "--data", data]) == 2)  // none
        #expect(TactMain.run(["keys", "create", "--name", "", "--scopes", "ingest", "--data", data]) == 2)  // empty name
        #expect(TactMain.run(["keys", "revoke", "--data", data]) == 2)  // no id
        #expect(TactMain.run(["keys", "revoke", "k0000000000", "--data", data]) == 1)  // unknown id
        #expect(TactMain.run(["keys", "list", "--data", tmp.file("never-created")]) == 1)
        #expect(try APIKeyService(engine: DataDirectory(path: data).open()).list().isEmpty)
    }
}
