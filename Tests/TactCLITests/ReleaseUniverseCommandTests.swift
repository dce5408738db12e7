import Foundation
import TactCore
import TactRecommend
import TactTestSupport
import Testing

@testable import TactCLI
@testable import TactEngine

/// Every private release runs over the registered catalog, sorted by id (`ReleaseUniverse`): not over
/// the items someone touched, in the order they first appear. Removing the only person who touched an
/// item changes neither a DP model file's items nor their order; popularity releases rank untouched
/// catalog items too; an item only an event named is in no release.
@Suite(.serialized) struct ReleaseUniverseCommandTests {
    let tmp = TemporaryDirectory()

    /// 25 registered items i00…i24; nobody touches i10…i24 except `solo` (first in the file), who alone
    /// touched i17; u0…u19 touch five of i00…i09 each; u1 also touched "ghost", which is not in the catalog.
    func prepare(_ name: String, withSolo: Bool, catalog: Bool = true) -> String {
        let data = tmp.file(name)
        let items = (0..<25).map { String(format: "i%02d", $0) }
        let itemsFile = tmp.write(name + "-items.csv", "id,title,tags\n" + items.map { "\($0),Item \($0),t\n" }.joined())
        var lines = ["user,item,value,timestamp"]
        if withSolo { lines.append("solo,i17,1,100") }
        for u in 0..<20 { for k in 0..<5 { lines.append("u\(u),i0\((u + k) % 10),1,\(200 + u * 5 + k)") } }
        lines.append("u1,ghost,1,400")
        let events = tmp.write(name + "-events.csv", lines.joined(separator: "\n") + "\n")
        #expect(TactMain.run(["init", "--data", data]) == 0)
        if catalog { #expect(TactMain.run(["import", "items", itemsFile, "--data", data]) == 0) }
        #expect(TactMain.run(["import", "interactions", events, "--grant", "personalization,model-training", "--data", data]) == 0)
        return data
    }

    var catalog: [String] { (0..<25).map { String(format: "i%02d", $0) } }

    func savedModel(_ data: String, _ algorithm: String) throws -> ModelMetadata {
        try ModelFile.read(from: ModelDirectory(directory: DataDirectory(path: data)).modelPath(algorithm: algorithm)).metadata
    }

    @Test("removing the only person who touched an item leaves the DP-ALS model file's items and their order unchanged: the catalog, sorted by id")
    func dpALSItemsDoNotDependOnWhoTouchedThem() throws {
        let with = prepare("with", withSolo: true), without = prepare("without", withSolo: false)
        for data in [with, without] {
            #expect(TactMain.run(["train", "--algorithm", "dp-als", "--dp-factors", "4", "--data", data, "--json"]) == 0)
        }
        let a = try savedModel(with, "dp-als"), b = try savedModel(without, "dp-als")
        #expect(a.items == catalog, "the DP-ALS columns are the registered catalog in id order, not the touched items: \(a.items)")
        #expect(a.items == b.items)
        // The released counts cover every column, touched or not.
        #expect(a.releasedPopularity?.count == catalog.count)
    }

    @Test("a DP popularity model file holds the catalog's ids and no one's pseudonym")
    func dpPopularFileHoldsNoPeople() throws {
        let data = prepare("popular", withSolo: true)
        #expect(TactMain.run(["train", "--algorithm", "dp-popular", "--dp-epsilon", "2", "--data", data]) == 0)
        let metadata = try savedModel(data, "dp-popular")
        #expect(metadata.items == catalog)
        #expect(metadata.users.isEmpty, "a popularity model needs no person ids; it held \(metadata.users.count)")
    }

    @Test("a popularity release ranks every registered item, untouched ones too, and never an item only an event named")
    func popularityListsTheWholeCatalog() throws {
        let data = prepare("release", withSolo: true)
        let engine = try DataDirectory(path: data).open()
        let statistics = PrivateStatistics(engine: engine)
        let popular = try statistics.popularity(epsilon: 1, delta: 1e-6, maxItemsPerPerson: 5, top: 50)
        #expect(Set(popular.items.map(\.id)) == Set(catalog), "listed \(popular.items.map(\.id))")
        let trending = try statistics.popularity(epsilon: 1, delta: 1e-6, maxItemsPerPerson: 5, halfLifeDays: 7, top: 50, now: 1_000)
        #expect(Set(trending.items.map(\.id)) == Set(catalog), "listed \(trending.items.map(\.id))")
    }

    @Test("with no registered catalog, a private release is refused and says to import one; nothing is saved or spent")
    func noCatalogNoRelease() throws {
        let data = prepare("bare", withSolo: true, catalog: false)
        #expect(TactMain.run(["train", "--algorithm", "dp-als", "--data", data]) == 1)
        #expect(TactMain.run(["privacy", "popular", "--epsilon", "1", "--data", data]) == 1)
        #expect(!FileManager.default.fileExists(atPath: ModelDirectory(directory: DataDirectory(path: data)).modelPath(algorithm: "dp-als")))
        let engine = try DataDirectory(path: data).open()
        #expect(try PrivacyLedger(engine: engine).state(dataset: PrivacyLedger.interactionsDataset).allSatisfy { $0.releases.isEmpty })
        // A model that makes no privacy claim still trains on the items in the data.
        #expect(TactMain.run(["train", "--algorithm", "popular", "--data", data]) == 0)
    }
}
