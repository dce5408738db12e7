import Crypto
import Foundation
import TactCore
import TactDevice
import TactRecommend
import TactTestSupport
import Testing

@Suite struct DeviceTests {
    @Test func historyIsEncryptedAtRestAndSurvivesReopening() throws {
        let dir = TemporaryDirectory()
        let key = try DeviceKey.loadOrCreate(at: dir.file("device.key"))
        let mode = try FileManager.default.attributesOfItem(atPath: dir.file("device.key"))[.posixPermissions] as? Int
        #expect(mode == 0o600)
        var history = try DeviceHistory(path: dir.file("history"), key: key)
        try history.record(.init(item: "Secret Movie Title", value: 2, at: 100))
        try history.record(.init(item: "another", at: 101))
        #expect(!fileContains(dir.file("history"), "Secret Movie Title"))
        let mode2 = try FileManager.default.attributesOfItem(atPath: dir.file("history"))[.posixPermissions] as? Int
        #expect(mode2 == 0o600)
        let again = try DeviceHistory(path: dir.file("history"), key: try DeviceKey.loadOrCreate(at: dir.file("device.key")))
        #expect(again.entries == history.entries)
        #expect(again.totals() == ["Secret Movie Title": 2, "another": 1])
        // Another key, or an altered file, cannot open it.
        #expect(throws: DeviceHistory.Failure.self) { try DeviceHistory(path: dir.file("history"), key: SymmetricKey(size: .bits256)) }
        var bytes = [UInt8](FileManager.default.contents(atPath: dir.file("history"))!)
        bytes[bytes.count / 2] ^= 1
        _ = dir.write("history", bytes: bytes)
        #expect(throws: DeviceHistory.Failure.self) { try DeviceHistory(path: dir.file("history"), key: key) }
    }

    @Test func aKeyFileOthersCanReadIsRefused() throws {
        let dir = TemporaryDirectory()
        _ = dir.write("device.key", bytes: [UInt8](repeating: 1, count: 32))
        chmod(dir.file("device.key"), 0o644)
        #expect(throws: DeviceKey.Failure.self) { try DeviceKey.loadOrCreate(at: dir.file("device.key")) }
    }

    @Test func ranksLocallyWithReasonsFromTheDownloadedModel() throws {
        // Two groups of items; a history in group A gets group A back, explained by its own items.
        let matrix = smallMatrix(users: 60, items: 20, perUser: 6, seed: 4)
        var c = ALSConfiguration()
        c.factors = 8; c.iterations = 8; c.regularization = 0.1; c.alpha = 4; c.threads = 1
        let model = ImplicitALS.train(matrix, configuration: c)
        let items = (0..<20).map { "item-\($0)" }
        let bytes = ModelFile.encode(.als(model), metadata: ModelMetadata(algorithm: "als", createdAt: 0, users: (0..<60).map { "u\($0)" }, items: items))
        let recommender = try DeviceRecommender(modelFile: bytes)
        let dir = TemporaryDirectory()
        var history = try DeviceHistory(path: dir.file("h"), key: SymmetricKey(size: .bits256))
        for i in [0, 1, 2, 3] { try history.record(.init(item: "item-\(i)", at: Int64(i))) }
        try history.record(.init(item: "not-in-catalog", at: 9))
        let suggestions = recommender.recommend(history, k: 5)
        #expect(suggestions.count == 5)
        #expect(suggestions.allSatisfy { !["item-0", "item-1", "item-2", "item-3"].contains($0.item) })
        #expect(suggestions.filter { Int($0.item.dropFirst(5))! < 10 }.count >= 4)
        for s in suggestions {
            #expect(!s.because.isEmpty)
            #expect(s.because.allSatisfy { ["item-0", "item-1", "item-2", "item-3"].contains($0.item) && $0.share > 0 && $0.share <= 1 })
        }
        #expect(recommender.recommend(try DeviceHistory(path: dir.file("empty"), key: SymmetricKey(size: .bits256))).isEmpty)
    }
}
