import Foundation
import TactCore
import TactRecommend
import TactStore

/// A popularity model trained from the store, with the catalog it indexes.
public struct TrainedPopularity: Sendable {
    public let model: PopularityModel
    /// Item index → catalog item and store row.
    public let items: [Item]
    public let itemRows: [ItemRow]
    public let indexOfRow: [ItemRow: Int]
    /// Subjects whose events were used, and those left out because they did not consent to model training.
    public let subjectsUsed: Int
    public let subjectsExcluded: Int
    public let eventsUsed: Int
}

/// One recommendation for a person, resolved to the catalog.
public struct ItemRecommendation: Sendable {
    public let item: Item
    public let score: Float
    public let reasons: [Reason]
}

/// Trains popularity from consented data and serves it.
public struct PopularityRecommender: Sendable {
    public let engine: Engine

    public init(engine: Engine) { self.engine = engine }

    /// Trains on the events of subjects whose consent permits model training.
    /// With `halfLifeDays`, events decay towards the newest stored event's time.
    public func train(halfLifeDays: Double? = 30) throws -> TrainedPopularity {
        let gate = engine.gate
        return try engine.store.read { r in
            let catalog = try r.items()
            var indexOfRow: [ItemRow: Int] = [:]
            for (i, entry) in catalog.enumerated() { indexOfRow[entry.row] = i }
            var consent = try TrainingConsent(reading: r, gate: gate)
            var events = 0
            let now = try r.statistics().lastInteraction ?? Int64(Date().timeIntervalSince1970)
            let model = try PopularityModel(itemCount: catalog.count, halfLifeDays: halfLifeDays, now: now) { add in
                try r.forEachTrainingEvent { e in
                    guard consent.permits(e.subject), let index = indexOfRow[e.item] else { return }
                    events += 1
                    add(index, EventWeight.positive(kind: e.kind.rawValue, value: e.value), e.timestamp)
                }
            }
            return TrainedPopularity(
                model: model, items: catalog.map(\.item), itemRows: catalog.map(\.row), indexOfRow: indexOfRow,
                subjectsUsed: consent.used, subjectsExcluded: consent.excluded, eventsUsed: events)
        }
    }

    /// Top `k` for a person. Their own history is used (to leave out what they already had) only when
    /// their consent permits personalization; otherwise they get what is popular with everyone.
    public func recommend(user: String, model: TrainedPopularity, k: Int = 10) throws -> (personalized: Bool, items: [ItemRecommendation]) {
        let pseudonym = engine.pseudonymizer.pseudonym(for: user)
        let gate = engine.gate
        let (personalized, consumed) = try engine.store.read { r -> (Bool, Set<Int>) in
            guard let row = try r.subjectRow(for: pseudonym) else { return (false, []) }
            guard gate.permits(.personalization, state: try r.consentState(of: row)) else { return (false, []) }
            return (true, Set(try r.interactions(of: row).compactMap { model.indexOfRow[$0.item] }))
        }
        let recs = model.model.recommend(k: k, excluding: consumed)
        return (personalized, recs.map { ItemRecommendation(item: model.items[$0.item], score: $0.score, reasons: $0.reasons) })
    }
}
