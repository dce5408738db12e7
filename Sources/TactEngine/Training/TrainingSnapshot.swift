import Foundation
import TactCore
import TactPrivacy
import TactRecommend
import TactStore

/// The users × items matrix a model is trained on, read from the store: only the events of people
/// whose consent permits model training, summed per person and item as event strengths.
public struct TrainingSnapshot: Sendable {
    /// Rows are pseudonyms (hex), columns item ids.
    public var data: InteractionMatrix
    /// People whose events were used, and those left out for want of model-training consent.
    public var subjectsUsed: Int
    public var subjectsExcluded: Int
    /// `StoreReader.latestModelChangingRequest()` when the data was read: a model trained on it may be
    /// saved or served only while no later erasure, restriction or withdrawal has completed.
    public var requestMark: Int64 = 0

    /// The snapshot `spec` trains on: over the release universe for a private model, else over the
    /// items in the data.
    public static func read(from engine: Engine, for spec: ModelSpec) throws -> TrainingSnapshot {
        try read(from: engine, overUniverse: spec.isPrivate)
    }

    /// Reads the consented events. Columns are the items in the data, in the order they first appear;
    /// `overUniverse` makes them the `ReleaseUniverse` instead (registered catalog items, sorted by id,
    /// every one a column whether anyone touched it or not) and leaves out events on other items: what
    /// every private release must run over. Throws, saying what to do, when the universe is empty.
    public static func read(from engine: Engine, overUniverse: Bool = false) throws -> TrainingSnapshot {
        let gate = engine.gate
        return try engine.store.read { r in
            var consent = try TrainingConsent(reading: r, gate: gate)
            let mark = try r.latestModelChangingRequest()
            let pseudonyms = try r.subjectPseudonyms()
            var itemIDs: [ItemRow: String] = [:]
            for entry in try r.items() { itemIDs[entry.row] = entry.item.id }
            var rowOf: [SubjectRow: Int32] = [:], columnOf: [ItemRow: Int32] = [:]
            var users: [String] = [], items: [String] = []
            if overUniverse {
                let universe = try ReleaseUniverse.read(from: r)
                try universe.requireItems()
                items = universe.items
                var rowOfID: [String: ItemRow] = [:]
                for (row, id) in itemIDs { rowOfID[id] = row }
                for (column, id) in items.enumerated() { if let row = rowOfID[id] { columnOf[row] = Int32(column) } }
            }
            var rowIndices: [Int32] = [], columnIndices: [Int32] = [], values: [Float] = [], times: [Int64] = []
            try r.forEachTrainingEvent { e in
                // Over the universe, an item outside it is no column: its events do not count.
                guard consent.permits(e.subject), !overUniverse || columnOf[e.item] != nil else { return }
                let strength = EventWeight.strength(kind: e.kind.rawValue, value: e.value)
                let u: Int32
                if let known = rowOf[e.subject] {
                    u = known
                } else {
                    u = Int32(users.count); rowOf[e.subject] = u; users.append(pseudonyms[e.subject]?.hex ?? "")
                }
                let i: Int32
                if let known = columnOf[e.item] {
                    i = known
                } else {
                    i = Int32(items.count); columnOf[e.item] = i; items.append(itemIDs[e.item] ?? "")
                }
                rowIndices.append(u)
                columnIndices.append(i)
                values.append(strength)
                times.append(e.timestamp)
            }
            let data = InteractionMatrix.assemble(
                users: users, items: items, rowIndices: rowIndices, columnIndices: columnIndices,
                values: values, timestamps: times)
            return TrainingSnapshot(
                data: data,
                subjectsUsed: consent.used, subjectsExcluded: consent.excluded, requestMark: mark)
        }
    }
}
