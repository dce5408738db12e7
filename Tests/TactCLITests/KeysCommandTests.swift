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
