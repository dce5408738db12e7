// A device, played on this machine: it downloads a model file (item factors and the catalog), keeps
// its person's history encrypted in its own folder, ranks locally with reasons, and shows the only
// things that would ever leave it: a local-DP telemetry report, and (in federated training) masked
// sums. The "server" here is a few lines that train a model on generated listening data.
//
//   swift run device-example [--folder DIR]
import Crypto
import Foundation
import TactCore
import TactDevice
import TactPrivacy
import TactRecommend

let arguments = CommandLine.arguments
let folder =
    arguments.firstIndex(of: "--folder").flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil }
    ?? NSTemporaryDirectory() + "tact-device-example"
try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)

// The server side: 600 listeners, 60 albums in three genres; each listener mostly plays one genre.
let genres = ["jazz", "rock", "folk"]
let catalog = (0..<60).map { "\(genres[$0 % 3])-album-\($0 / 3)" }
var random = SplitMix64(seed: 7)
var triplets: [(row: Int32, column: Int32, value: Float)] = []
for person in 0..<600 {
    let taste = person % 3
    var played = Set<Int>()
    while played.count < 8 {
        let album = random.unit() < 0.85 ? taste + 3 * Int(random.next() % 20) : Int(random.next() % 60)
        if played.insert(album).inserted { triplets.append((Int32(person), Int32(album), Float(1 + random.next() % 4))) }
    }
}
var configuration = ALSConfiguration()
configuration.factors = 8
configuration.iterations = 10
configuration.regularization = 5
configuration.alpha = 4
let model = ImplicitALS.train(SparseMatrix(rows: 600, columns: 60, triplets: triplets), configuration: configuration)
let download = DeviceRecommender.downloadFile(model, items: catalog, createdAt: Int64(Date().timeIntervalSince1970))
print("downloaded a model file: \(download.count) bytes (\(catalog.count) items × \(configuration.factors) factors, no user vectors)")

// The device side.
do {
    let key = try DeviceKey.loadOrCreate(at: folder + "/device.key")
    var history = try DeviceHistory(path: folder + "/history", key: key)
    try history.forget()
    for (album, plays) in [("jazz-album-0", 3), ("jazz-album-4", 2), ("jazz-album-7", 1), ("rock-album-2", 1)] {
        for p in 0..<plays { try history.record(.init(item: album, value: 1, at: Int64(p))) }
    }
    let sealed = FileManager.default.contents(atPath: folder + "/history")!
    print(
        "history: \(history.entries.count) plays, stored encrypted (\(sealed.count) bytes, begins \(sealed.prefix(8).map { String(format: "%02x", $0) }.joined()))"
    )

    let recommender = try DeviceRecommender(modelFile: download)
    print("\nrecommended on the device:")
    for (rank, s) in recommender.recommend(history, k: 5).enumerated() {
        let why = s.because.map { "\($0.item) \(Int(($0.share * 100).rounded()))%" }.joined(separator: ", ")
        print("  \(rank + 1). \(s.item)  (score \(String(format: "%.3f", s.score)); because of \(why))")
    }

    var secure = SecureRandom()
    let sketch = CountMeanSketch(hashes: 256, width: 1024, epsilon: 4)
    let reports = PopularityTelemetry.reports(items: history.entries.map(\.item), count: 1, sketch: sketch, using: &secure)
    print(
        "\nwhat leaves the device for popularity statistics: one report, hash \(reports[0].hash) and \(reports[0].bits.count) bytes of randomized bits (ε = 4 local DP)"
    )
    print("the history, the user vector and the ranking stay in \(folder)")
} catch {
    FileHandle.standardError.write(Data("device-example: \(error)\n".utf8))
    exit(1)
}
