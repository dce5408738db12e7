import Foundation
import GRDB
import TactCore
import TactRecommend
import TactStore
import TactTestSupport

@testable import TactEngine

/// A data directory where 40 people share two tastes (rock r0…r14 and jazz j0…j14), and "eve" also holds
/// a distinctive pair, x1 and x2, that only she plays often ("fay" played x1 once). An iALS model is
/// trained on it and saved, as `tact train` does.
final class RightsFixture: @unchecked Sendable {
    let tmp = TemporaryDirectory("tact-rights")
    let engine: Engine
    var events: [IncomingInteraction] = []
    let configuration: ALSConfiguration

    init(mode: ConsentMode = .optIn) throws {
        let dir = DataDirectory(path: tmp.file("data"), environment: [:])
        try dir.initialize(mode: mode)
        engine = try dir.open()
        try engine.store.write { w in
            for i in 0..<15 {
                _ = try w.upsertItem(Item(id: "r\(i)", title: "Rock \(i)", tags: ["rock"]))
                _ = try w.upsertItem(Item(id: "j\(i)", title: "Jazz \(i)", tags: ["jazz"]))
            }
            _ = try w.upsertItem(Item(id: "x1", title: "Rare one", tags: ["rare"]))
            _ = try w.upsertItem(Item(id: "x2", title: "Rare two", tags: ["rare"]))
        }
        for p in 0..<40 {
            let genre = p % 2 == 0 ? "r" : "j"
            for i in 0..<15 where (i * 7 + p) % 3 != 0 {
                events.append(
                    IncomingInteraction(
                        user: "p\(p)", item: "\(genre)\(i)", kind: .play, value: Double(1 + (i + p) % 3),
                        timestamp: 1_700_000_000 + Int64(i)))
            }
        }
        for i in 0..<6 { events.append(IncomingInteraction(user: "eve", item: "r\(i)", kind: .play, timestamp: 1_700_000_100 + Int64(i))) }
        events.append(IncomingInteraction(user: "eve", item: "x1", kind: .play, value: 9, timestamp: 1_700_000_200, context: "eve's secret note"))
        events.append(IncomingInteraction(user: "eve", item: "x2", kind: .play, value: 9, timestamp: 1_700_000_201, context: "another, \"quoted\" note"))
        events.append(IncomingInteraction(user: "fay", item: "x1", kind: .play, timestamp: 1_700_000_300))
        events.append(IncomingInteraction(user: "fay", item: "j1", kind: .play, timestamp: 1_700_000_301))
        _ = try Ingestor(engine: engine).ingest(events, options: IngestOptions(grants: [.personalization, .modelTraining, .advertising], grantNote: "test"))
        var als = ALSConfiguration()
        als.factors = 8
        als.iterations = 10
        als.regularization = 0.05
        als.threads = 1
        configuration = als
        try train()
    }

    var modelPath: String { ModelDirectory(directory: engine.directory).modelPath(algorithm: "als") }

    /// Trains on the store and saves the model, as `tact train` does.
    func train() throws {
        let snapshot = try TrainingSnapshot.read(from: engine)
        let trained = try ModelTrainer.train(snapshot.data.matrix, spec: .als(configuration))
        try ModelDirectory(directory: engine.directory).create()
        try ModelStorage.save(trained, algorithm: "als", data: snapshot.data, parameters: [:], to: modelPath)
    }

    func savedModel() throws -> (model: ALSModel, metadata: ModelMetadata) {
        let (stored, metadata) = try ModelFile.read(from: modelPath)
        return (try stored.alsModel(), metadata)
    }

    /// The exact re-solve of item `column` with `model`'s user factors fixed, leaving out the users in
    /// `without`, from the fixture's own events (not the store), in Double by Gaussian elimination.
    func referenceItemVector(model: ALSModel, metadata: ModelMetadata, column: Int, without: Set<String>) -> [Double] {
        let k = model.userFactors.factors, s = model.userFactors.stride
        let item = metadata.items[column]
        var rowOf: [String: Int] = [:]
        for (i, hex) in metadata.users.enumerated() { rowOf[hex] = i }
        let removedRows = Set(without.compactMap { rowOf[engine.pseudonymizer.pseudonym(for: $0).hex] })
        var strength: [Int: Double] = [:]
        for e in events where e.item == item && !without.contains(e.user) {
            guard let u = rowOf[engine.pseudonymizer.pseudonym(for: e.user).hex] else { continue }
            strength[u, default: 0] += Double(EventWeight.strength(kind: e.kind.rawValue, value: e.value))
        }
        func x(_ u: Int, _ f: Int) -> Double { Double(model.userFactors.storage[u * s + f]) }
        var a = [[Double]](repeating: [Double](repeating: 0, count: k + 1), count: k)
        for u in 0..<model.users where !removedRows.contains(u) {
            for i in 0..<k { for j in 0..<k { a[i][j] += x(u, i) * x(u, j) } }
        }
        for i in 0..<k { a[i][i] += Double(model.configuration.regularization) }
        for (u, v) in strength where v > 0 {
            let c = Double(model.configuration.confidence(of: Float(v)))
            for i in 0..<k {
                for j in 0..<k { a[i][j] += (c - 1) * x(u, i) * x(u, j) }
                a[i][k] += c * x(u, i)
            }
        }
        // Gaussian elimination with partial pivoting on the augmented matrix.
        for col in 0..<k {
            let pivot = (col..<k).max { abs(a[$0][col]) < abs(a[$1][col]) }!
            a.swapAt(col, pivot)
            for r in (col + 1)..<k where a[col][col] != 0 {
                let f = a[r][col] / a[col][col]
                for c in col...k { a[r][c] -= f * a[col][c] }
            }
        }
        var solution = [Double](repeating: 0, count: k)
        for r in stride(from: k - 1, through: 0, by: -1) {
            var sum = a[r][k]
            for c in (r + 1)..<k { sum -= a[r][c] * solution[c] }
            solution[r] = sum / a[r][r]
        }
        return solution
    }
}

/// Every byte of every table of the store, as one blob per value, for "no query finds it" checks.
func everyStoredValue(_ engine: Engine) throws -> [[UInt8]] {
    var config = Configuration()
    config.readonly = true
    let db = try DatabaseQueue(path: engine.directory.databasePath, configuration: config)
    return try db.read { db in
        var values: [[UInt8]] = []
        for table in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'") {
            for row in try Row.fetchAll(db, sql: "SELECT * FROM \"\(table)\"") {
                for value in row.databaseValues {
                    switch value.storage {
                    case .blob(let data): values.append([UInt8](data))
                    case .string(let text): values.append(Array(text.utf8))
                    default: break
                    }
                }
            }
        }
        return values
    }
}

/// Whether `needle` occurs inside `haystack`.
func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
    guard needle.count <= haystack.count else { return false }
    return Data(haystack).range(of: Data(needle)) != nil
}
