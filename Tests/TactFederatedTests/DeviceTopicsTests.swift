import Crypto
import Foundation
import TactCore
import TactDevice
import TactRecommend
import TactTestSupport
import Testing

/// Interest topics computed on the device, from its own encrypted history, with the server's rules.
@Suite struct DeviceTopicsTests {
    @Test("the device's topics follow its recent history, are stable for its key, and use the server's taxonomy only")
    func topics() throws {
        let dir = TemporaryDirectory("device-topics")
        let key = try DeviceKey.loadOrCreate(at: dir.file("device.key"))
        var history = try DeviceHistory(path: dir.file("history"), key: key)
        let now = Int64(Date().timeIntervalSince1970)
        let catalog = ["j1": Item(id: "j1", tags: ["jazz"]), "j2": Item(id: "j2", tags: ["jazz", "live"]), "r1": Item(id: "r1", tags: ["rock"])]
        for item in ["j1", "j2", "j1"] { try history.record(.init(item: item, value: 1, at: now - 600)) }
        try history.record(.init(item: "r1", value: 1, at: now - 400 * 86_400))  // a year ago: no topic
        var device = DeviceTopics(taxonomy: TopicTaxonomy(topics: ["jazz", "rock", "live"]), key: key)
        device.noise = 0
        let topics = device.topics(of: history, catalog: catalog, now: now)
        #expect(topics.count == 1 && ["jazz", "live"].contains(topics[0]), "\(topics)")
        #expect(device.topics(of: history, catalog: catalog, now: now) == topics, "the same for the same key")
        let noisy = DeviceTopics(taxonomy: TopicTaxonomy(topics: ["jazz", "rock", "live"]), key: SymmetricKey(size: .bits256))
        #expect(noisy.topics(of: history, catalog: catalog, now: now).allSatisfy { ["jazz", "rock", "live"].contains($0) })
    }
}
