import Foundation
import TactCore
import TactRecommend
import TactStore

/// What removing people from the saved models did.
public struct ModelPatchReport: Sendable, Equatable {
    /// User vectors dropped from the iALS model.
    public var userVectorsDropped = 0
    /// Item vectors solved again without them.
    public var itemsResolved = 0
    /// Models that cannot be patched exactly (item-kNN, popularity) and wait for the scheduled retrain.
    public var awaitingRetrain: [String] = []
    public var seconds = 0.0
    /// Where the time went: reading the saved model, reading the touched items' data from the store,
    /// solving, and writing the model back.
    public var readSeconds = 0.0, strengthsSeconds = 0.0, solveSeconds = 0.0, writeSeconds = 0.0

    public init() {}
}

/// Removes people's contribution from the saved models at once (the caller holds the model folder's lock),
/// and publishes the patched models to the store (`ModelArtifacts`) for other servers:
/// their user vectors go, and every item they touched is solved again exactly from the remaining
/// people's current data (`ALSModel.removingUsers`). A full retrain is scheduled separately: the
/// completed request raises `StoreReader.latestModelChangingRequest()`, which servers watch.
public struct ModelPatcher: Sendable {
    public let engine: Engine

    public init(engine: Engine) { self.engine = engine }

    /// Patches the saved models (those with a row per person) for `subjects` leaving them and the catalog
    /// `items` whose data changed (the items those people touched, or the items of rectified events);
    /// the others wait for the retrain. Call after the store change has committed: strengths are read as they are now.
    /// With `only`, patches that algorithm's model alone.
    public func remove(subjects: [Pseudonym], touching items: Set<String>, only: String? = nil) throws -> ModelPatchReport {
        let started = Date()
        var report = ModelPatchReport()
        let directory = ModelDirectory(directory: engine.directory)
        for algorithm in ModelAlgorithms.all where only == nil || algorithm.name == only {
            let path = directory.modelPath(algorithm: algorithm.name)
            guard FileManager.default.fileExists(atPath: path) else { continue }
            guard algorithm.model.keepsPersonRows else {
                report.awaitingRetrain.append(algorithm.name)
                continue
            }
            try patch(algorithm, at: path, subjects: subjects, touching: items, report: &report)
        }
        report.seconds = Date().timeIntervalSince(started)
        return report
    }

    /// Drops `subjects`' rows from the model of `algorithm` saved at `path` and solves the columns of `items` again.
    /// A private model loses the people's own rows, but its item factors are not solved again from the data:
    /// that would replace a differentially private release by an exact one. Their bounded influence on it
    /// is what (ε, δ) states; the scheduled retrain (a new release) removes it.
    private func patch(
        _ algorithm: ModelAlgorithm, at path: String, subjects: [Pseudonym], touching items: Set<String>,
        report: inout ModelPatchReport
    ) throws {
        var mark = Date()
        func lap() -> Double { defer { mark = Date() }; return Date().timeIntervalSince(mark) }
        let (stored, metadata) = try ModelFile.read(from: path)
        report.readSeconds += lap()
        if algorithm.isPrivate { report.awaitingRetrain.append(algorithm.name) }
        var userRow: [String: Int] = [:]
        for (i, hex) in metadata.users.enumerated() { userRow[hex] = i }
        let removed = Set(subjects.compactMap { userRow[$0.hex] })
        var columnOf: [String: Int32] = [:]
        if !algorithm.isPrivate { for (i, id) in metadata.items.enumerated() { columnOf[id] = Int32(i) } }
        let columns = items.compactMap { columnOf[$0] }.sorted()
        guard !removed.isEmpty || !columns.isEmpty else { return }
        let strengths = columns.isEmpty ? [:] : try currentStrengths(of: columns, itemIDs: metadata.items, userRow: userRow)
        report.strengthsSeconds += lap()
        guard
            case .patched(let patched, let resolved) = algorithm.model.removingPeople(
                removed, from: stored, resolving: columns,
                strengths: { strengths[$0] ?? [] })
        else {
            if !algorithm.isPrivate { report.awaitingRetrain.append(algorithm.name) }
            return
        }
        report.solveSeconds += lap()
        var newMetadata = metadata
        newMetadata.users = metadata.users.enumerated().filter { !removed.contains($0.offset) }.map(\.element)
        try ModelFile.write(patched, metadata: newMetadata, to: path)
        // Other servers sharing the store serve the patched model before the request completes.
        try ModelArtifacts(engine: engine).publish(algorithm: algorithm.name)
        report.writeSeconds += lap()
        report.userVectorsDropped += removed.count
        report.itemsResolved += resolved.count
    }

    /// For each model column, the summed strengths of the model's users who hold events of it now.
    private func currentStrengths(of columns: [Int32], itemIDs: [String], userRow: [String: Int]) throws -> [Int32: [(user: Int, value: Float)]] {
        try engine.store.read { r in
            // Batch reads: three queries in all on a store that pays a round trip per query.
            let itemRows = try r.itemRows(for: columns.map { itemIDs[Int($0)] })
            let histories = try r.itemHistories(of: Array(Set(itemRows.values)))
            let pseudonyms = try r.pseudonyms(of: Array(Set(histories.values.flatMap { $0.map(\.subject) })))
            var result: [Int32: [(user: Int, value: Float)]] = [:]
            for column in columns {
                guard let itemRow = itemRows[itemIDs[Int(column)]] else { continue }
                var sums: [Int: Float] = [:]
                for e in histories[itemRow] ?? [] {
                    guard let u = pseudonyms[e.subject].flatMap({ userRow[$0.hex] }) else { continue }
                    sums[u, default: 0] += EventWeight.strength(kind: e.kind.rawValue, value: e.value)
                }
                result[column] = sums.filter { $0.value > 0 }.sorted { $0.key < $1.key }.map { (user: $0.key, value: $0.value) }
            }
            return result
        }
    }
}
