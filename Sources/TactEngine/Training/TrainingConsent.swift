import TactCore
import TactPrivacy
import TactStore

/// Who a training may learn from: a person whose consent permits model training and whose processing is
/// not restricted. The one place every training (models, popularity) decides it; read once per training,
/// each person decided once and counted.
struct TrainingConsent {
    private let gate: ConsentGate
    private let decisions: [SubjectRow: ConsentDecision]
    private let restricted: Set<SubjectRow>
    private var decided: [SubjectRow: Bool] = [:]
    /// People whose events are used, and people left out.
    private(set) var used = 0
    private(set) var excluded = 0

    init(reading r: any StoreReader, gate: ConsentGate) throws {
        self.gate = gate
        decisions = try r.latestDecisions(for: .modelTraining)
        restricted = try r.restrictedSubjects()
    }

    /// Whether the subject's events may be trained on.
    mutating func permits(_ subject: SubjectRow) -> Bool {
        if let known = decided[subject] { return known }
        let ok = gate.permits(.modelTraining, decision: decisions[subject]) && !restricted.contains(subject)
        decided[subject] = ok
        if ok { used += 1 } else { excluded += 1 }
        return ok
    }
}
