import TactTestSupport
import Testing

@testable import TactCore

@Suite struct ItemReaderTests {
    @Test func csvCatalog() throws {
        let dir = TemporaryDirectory()
        let path = dir.write("items.csv", "id,title,tags,created\ni1,\"Blue, Train\",jazz|live,2020-01-01\ni2,Quiet,,\n")
        let r = try ItemFileFormat.detect(path: path).open(path: path)
        #expect(try r.next() == Item(id: "i1", title: "Blue, Train", tags: ["jazz", "live"], createdAt: 1_577_836_800))
        #expect(try r.next() == Item(id: "i2", title: "Quiet"))
        #expect(try r.next() == nil)
    }

    @Test func jsonLinesCatalog() throws {
        let dir = TemporaryDirectory()
        let path = dir.write("items.jsonl", "{\"id\":\"i1\",\"title\":\"A\",\"tags\":[\"x\",\"y\"],\"created\":86400}\n{\"id\":7}\n")
        let r = try ItemFileFormat.detect(path: path).open(path: path)
        #expect(try r.next() == Item(id: "i1", title: "A", tags: ["x", "y"], createdAt: 86_400))
        #expect(try r.next() == Item(id: "7"))
    }

    @Test func badCatalogLinesAreNamed() throws {
        let dir = TemporaryDirectory()
        let path = dir.write("items.csv", "id,title,created\ni1,A,2020-01-01\ni2,B,someday\n")
        let r = try ItemFileFormat.csv.open(path: path)
        _ = try r.next()
        do { _ = try r.next(); Issue.record("expected an error") } catch let e as InputError {
            #expect(e.line == 3 && e.field == "created")
        }
        let noID = dir.write("noid.csv", "title\nA\n")
        #expect(throws: InputError.self) { try ItemFileFormat.csv.open(path: noID) }
    }
}
