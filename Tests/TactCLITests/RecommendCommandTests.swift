import Foundation
import TactCore
import TactEngine
import TactTestSupport
import Testing

@testable import TactCLI

/// `tact recommend` asks the same policy as the server's routes: before it did, it showed sponsored
/// items and returned short lists.
@Suite(.serialized) struct RecommendCommandTests {
    let tmp = TemporaryDirectory()

    @Test("tact recommend never lists a sponsored item, and tops a filtered list up to k with everyone's favourites")
    func sameRulesAsTheServer() throws {
        let data = trainedDataDirectory(in: tmp)
        // Everyone's favourite becomes advertising inventory, after training (as a catalog update would).
        let stranger = try RecommendCommand.parse(["someone-new", "--k", "3", "--data", data]).list()
        let top = try #require(stranger.items.first?.item)
        let engine = try DataDirectory(path: data, environment: [:]).open()
        try engine.store.write { w in _ = try w.upsertItem(Item(id: top.id, title: top.title, tags: top.tags + [Item.sponsoredTag])) }

        let fallback = try RecommendCommand.parse(["someone-new", "--k", "3", "--data", data]).list()
        #expect(!fallback.personalized && fallback.items.count == 3)
        #expect(!fallback.items.contains { $0.item.id == top.id }, "the sponsored item was listed: \(fallback.items.map(\.item.id))")

        let all = try RecommendCommand.parse(["u1", "--k", "40", "--data", data]).list()
        #expect(all.personalized && !all.items.contains { $0.item.tags.contains(Item.sponsoredTag) })
        // A tag few items carry: the model's few, then everyone's favourites with that tag.
        let tag = try #require(top.tags.first)
        let narrow = try RecommendCommand.parse(["u1", "--k", "40", "--tag", tag, "--data", data]).list()
        let had: Set<String> = try engine.store.read { r in
            let row = try #require(try r.subjectRow(for: engine.pseudonymizer.pseudonym(for: "u1")))
            let rows = Set(try r.interactions(of: row).map(\.item))
            return Set(try r.items().filter { rows.contains($0.row) }.map(\.item.id))
        }
        let expected = try engine.store.read { try $0.items() }.map(\.item)
            .filter { $0.tags.contains(tag) && !$0.tags.contains(Item.sponsoredTag) && !had.contains($0.id) }
        #expect(narrow.items.allSatisfy { $0.item.tags.contains(tag) && !had.contains($0.item.id) })
        // 40 items in all, so every one of them fits in k = 40.
        #expect(
            Set(narrow.items.map(\.item.id)) == Set(expected.map(\.id)),
            "every item with the tag that u1 did not have, the model's first: \(narrow.items.count) of \(expected.count)")
    }
}
