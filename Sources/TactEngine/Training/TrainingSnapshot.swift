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

    public static func read(from engine: Engine) throws -> TrainingSnapshot {
        let gate = engine.gate
        return try engine.store.read { r in
            let decisions = try r.latestDecisions(for: .modelTraining)
            let restricted = try r.restrictedSubjects()
            let mark = try r.latestModelChangingRequest()
            let pseudonyms = try r.subjectPseudonyms()
            var itemIDs: [ItemRow: String] = [:]
            for entry in try r.items() { itemIDs[entry.row] = entry.item.id }
            var rowOf: [SubjectRow: Int32] = [:], columnOf: [ItemRow: Int32] = [:]
            var users: [String] = [], items: [String] = []
            var permitted: [SubjectRow: Bool] = [:]
            var rowIndices: [Int32] = [], columnIndices: [Int32] = [], values: [Float] = [], times: [Int64] = []
            try r.forEachInteraction { e in
                let ok: Bool
                if let known = permitted[e.subject] { ok = known } else {
                    ok = gate.permits(.modelTraining, decision: decisions[e.subject]) && !restricted.contains(e.subject)
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
                rowIndices.append(u)
                columnIndices.append(i)
                values.append(strength)
                times.append(e.timestamp)
            }
            let used = permitted.values.filter { $0 }.count
            let data = InteractionMatrix.assemble(users: users, items: items, rowIndices: rowIndices, columnIndices: columnIndices,
                                                  values: values, timestamps: times)
            return TrainingSnapshot(data: data,
                                    subjectsUsed: used, subjectsExcluded: permitted.count - used, requestMark: mark)
        }
    }
}
