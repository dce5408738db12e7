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

    public static func read(from engine: Engine) throws -> TrainingSnapshot {
        let gate = engine.gate
        return try engine.store.read { r in
            let decisions = try r.latestDecisions(for: .modelTraining)
            let pseudonyms = try r.subjectPseudonyms()
            var itemIDs: [ItemRow: String] = [:]
            for entry in try r.items() { itemIDs[entry.row] = entry.item.id }
            var rowOf: [SubjectRow: Int32] = [:], columnOf: [ItemRow: Int32] = [:]
            var users: [String] = [], items: [String] = []
            var permitted: [SubjectRow: Bool] = [:]
            var cells: [UInt64: (value: Float, time: Int64)] = [:]
            try r.forEachInteraction { e in
                let ok: Bool
                if let known = permitted[e.subject] { ok = known } else {
                    ok = gate.permits(.modelTraining, decision: decisions[e.subject])
                    permitted[e.subject] = ok
                }
                guard ok else { return }
                let strength = EventWeight.strength(kind: e.kind.rawValue, value: e.value)
                let u: Int32
                if let known = rowOf[e.subject] { u = known } else {
                    u = Int32(users.count); rowOf[e.subject] = u; users.append(pseudonyms[e.subject]?.hex ?? "")
                }
                let i: Int32
                if let known = columnOf[e.item] { i = known } else {
                    i = Int32(items.count); columnOf[e.item] = i; items.append(itemIDs[e.item] ?? "")
                }
                let key = UInt64(UInt32(u)) << 32 | UInt64(UInt32(i))
                let old = cells[key] ?? (0, Int64.min)
                cells[key] = (old.value + strength, max(old.time, e.timestamp))
            }
            let used = permitted.values.filter { $0 }.count
            return TrainingSnapshot(data: InteractionMatrix.build(cells: cells, users: users, items: items),
                                    subjectsUsed: used, subjectsExcluded: permitted.count - used)
        }
    }
}
