import Foundation
import TactCore
import TactStore
import TactTestSupport
import Testing

@testable import TactEngine

/// The universe of private releases is what the operator registered, sorted by id: an event that names
/// an unknown item creates a catalog row (so the event can be stored), but not a member of the universe.
@Suite struct ReleaseUniverseTests {
    @Test("an item only an event named is not in the universe until the operator registers it; the universe is sorted by id")
    func registeredItemsOnly() throws {
        let tmp = TemporaryDirectory("tact-universe")
        let dir = DataDirectory(path: tmp.file("data"), environment: [:])
        try dir.initialize(mode: .optIn)
        let engine = try dir.open()
        try engine.store.write { w in
            _ = try w.upsertItem(Item(id: "b", title: "B"))
            _ = try w.upsertItem(Item(id: "a"))  // an id alone registers it too
        }
        _ = try Ingestor(engine: engine).ingest(
            [IncomingInteraction(user: "p", item: "ghost", kind: .play, timestamp: 10)],
            options: IngestOptions(grants: [.personalization, .modelTraining], grantNote: "test"))
        #expect(try engine.store.read { try $0.items() }.map(\.item.id).contains("ghost"), "the event created a catalog row")
        #expect(try ReleaseUniverse.read(from: engine).items == ["a", "b"])
        let snapshot = try TrainingSnapshot.read(from: engine, overUniverse: true)
        #expect(snapshot.data.items == ["a", "b"] && snapshot.data.matrix.nonZeros == 0, "events on items outside the universe do not count")
        _ = try CatalogImporter(engine: engine).importItems(
            ItemFileFormat.csv.open(path: tmp.write("items.csv", "id,title\nghost,Ghost\n")), source: "items.csv")
        #expect(try ReleaseUniverse.read(from: engine).items == ["a", "b", "ghost"])
        #expect(try TrainingSnapshot.read(from: engine, overUniverse: true).data.matrix.nonZeros == 1)
    }
}
