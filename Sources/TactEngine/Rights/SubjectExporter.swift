import Foundation
import TactCore
import TactPrivacy
import TactRecommend
import TactStore

/// Builds a person's export (access and portability): their consent and its history, interactions
/// (free text opened with their key), a profile in plain words, their current recommendations with
/// reasons, the audit entries about them and their requests. Each export is itself a tracked request
/// and an audit entry.
public struct SubjectExporter: Sendable {
    public let engine: Engine
    public let now: @Sendable () -> Int64

    public init(engine: Engine, now: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }) {
        self.engine = engine
        self.now = now
    }

    /// The export for `user`. `recommender` (the model in service) gives the recommendations and what drives them.
    public func export(user: String, actor: String, recommender: ModelRecommender? = nil, recommendations k: Int = 10) throws -> SubjectExport {
        try export(pseudonym: engine.pseudonymizer.pseudonym(for: user), id: user, actor: actor, recommender: recommender, recommendations: k)
    }

    /// The export for the person with `pseudonym`; `id` is their own id when the request named it
    /// (a person token's holder is known only by the pseudonym, so their export has none).
    public func export(
        pseudonym: Pseudonym, id: String?, actor: String, recommender: ModelRecommender? = nil,
        recommendations k: Int = 10
    ) throws -> SubjectExport {
        let at = now()
        let rights = SubjectRights(engine: engine, now: now)
        let requestID = try rights.open(.access, for: pseudonym, actor: actor, at: at)
        let wrapped = try engine.vault.wrappedKeys(for: [pseudonym])[pseudonym]
        let key = try wrapped.map { try engine.keyring.unwrap($0, for: pseudonym) }

        let gate = engine.gate
        typealias Read = (
            row: SubjectRow?, restrictedAt: Int64?, consent: ConsentState, history: [ConsentRecord],
            interactions: [SubjectExport.Interaction], items: [(item: Item, strength: Float)], audit: [AuditEntry],
            ads: [AdEvent]
        )
        let read = try engine.store.write { w -> Read in
            guard let row = try w.subjectRow(for: pseudonym) else {
                try w.updateSubjectRequest(id: requestID, status: .completed, verifiedAt: nil, completedAt: at, detail: "nothing held")
                return (nil, nil, ConsentState(), [], [], [], [], [])
            }
            try w.appendAudit(AuditEntry(at: at, actor: actor, action: "subject.export", subject: pseudonym, purpose: nil, detail: "request=\(requestID)"))
            let stored = try w.interactions(of: row)
            var itemCache: [ItemRow: Item] = [:]
            var strength: [ItemRow: Float] = [:]
            var interactions: [SubjectExport.Interaction] = []
            for e in stored {
                let item: Item
                if let known = itemCache[e.item] {
                    item = known
                } else {
                    let id = try w.itemID(of: e.item) ?? "?"
                    item = try w.item(for: id) ?? Item(id: id)
                    itemCache[e.item] = item
                }
                var context = e.context
                if let sealed = e.sealedContext {
                    context = (try? key?.open(sealed)) ?? "(unreadable: the key that sealed it is gone)"
                }
                interactions.append(
                    .init(
                        id: e.id, item: item.id, title: item.title, kind: e.kind.rawValue, value: e.value,
                        timestamp: e.timestamp, context: context, purpose: e.purpose.rawValue))
                strength[e.item, default: 0] += EventWeight.strength(kind: e.kind.rawValue, value: e.value)
            }
            let items = strength.compactMap { row, s in itemCache[row].map { (item: $0, strength: s) } }
            try w.updateSubjectRequest(id: requestID, status: .completed, verifiedAt: nil, completedAt: at, detail: "interactions=\(interactions.count)")
            return (
                row, try w.restriction(of: row), try w.consentState(of: row), try w.consentHistory(of: row), interactions, items,
                try w.auditEntries(of: row), try w.adEvents(of: row)
            )
        }

        var recommendations: [SubjectExport.Recommendation] = []
        var personalized = false
        if read.row != nil, read.restrictedAt == nil, gate.permits(.personalization, state: read.consent), let recommender,
            case let served = try recommender.profile(pseudonym: pseudonym), served.known, served.personalizationPermitted, !served.history.isEmpty
        {
            let recs = recommender.recommend(history: served.history, k: k)
            personalized = true
            recommendations = recs.map { r in
                .init(
                    item: r.item.id, title: r.item.title, score: Double(r.score),
                    reasons: r.reasons.map { .init(item: $0.item.id, title: $0.item.title, share: Double($0.share)) })
            }
        }
        let profile = Self.profile(
            items: read.items, recommendations: recommendations, personalized: personalized,
            restricted: read.restrictedAt != nil, permitted: gate.permits(.personalization, state: read.consent))
        let requests = try rights.requests(pseudonym: pseudonym)
        var export = SubjectExport(
            generatedAt: at, controller: engine.policy.controller, contact: engine.policy.contact, policyVersion: engine.policy.version,
            person: .init(id: id, known: read.row != nil, restrictedAt: read.restrictedAt),
            consent: .init(
                mode: engine.configuration.consentMode.rawValue,
                current: Purpose.allCases.map { p in
                    let e = read.consent[p]
                    return .init(
                        purpose: p.rawValue, permitted: gate.permits(p, state: read.consent), decision: e?.decision.rawValue,
                        source: e?.source.rawValue, recordedAt: e?.recordedAt)
                },
                history: read.history.map {
                    SubjectExport.ConsentEntry(
                        purpose: $0.purpose.rawValue, decision: $0.decision.rawValue, source: $0.source.rawValue,
                        recordedAt: $0.recordedAt, policyVersion: $0.policyVersion, note: $0.note)
                }),
            interactions: read.interactions, profile: profile, recommendations: recommendations,
            audit: read.audit.map {
                SubjectExport.AuditRecord(at: $0.at, actor: $0.actor, action: $0.action, purpose: $0.purpose?.rawValue, detail: $0.detail)
            },
            requests: requests.map {
                SubjectExport.Request(
                    id: $0.id, kind: $0.kind.rawValue, status: $0.status.rawValue, receivedAt: $0.receivedAt,
                    verifiedAt: $0.verifiedAt, completedAt: $0.completedAt, dueAt: $0.dueAt)
            })
        export.advertising = read.ads.map { .init(campaign: $0.campaign, kind: $0.kind.rawValue, at: $0.at) }
        return export
    }

    /// The inferred profile: top tags by strength, what drives the recommendations, and a summary in words.
    static func profile(
        items: [(item: Item, strength: Float)], recommendations: [SubjectExport.Recommendation], personalized: Bool,
        restricted: Bool, permitted: Bool
    ) -> SubjectExport.Profile {
        var tagWeight: [String: Double] = [:]
        for (item, strength) in items where strength > 0 {
            for tag in item.tags { tagWeight[tag, default: 0] += Double(strength) }
        }
        let tagTotal = tagWeight.values.reduce(0, +)
        let topTags = tagWeight.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(5)
            .map { SubjectExport.Share(name: $0.key, share: tagTotal > 0 ? $0.value / tagTotal : 0) }
        var driverWeight: [String: Double] = [:]
        for r in recommendations { for reason in r.reasons { driverWeight[reason.title.isEmpty ? reason.item : reason.title, default: 0] += reason.share } }
        let driverTotal = driverWeight.values.reduce(0, +)
        let drivers = driverWeight.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(5)
            .map { SubjectExport.Share(name: $0.key, share: driverTotal > 0 ? $0.value / driverTotal : 0) }

        func percent(_ s: SubjectExport.Share) -> String { "\(s.name) (\(Int((s.share * 100).rounded()))%)" }
        var words: [String] = []
        words.append(items.isEmpty ? "We hold no activity of yours." : "We hold activity of yours on \(items.count) item\(items.count == 1 ? "" : "s").")
        if !topTags.isEmpty { words.append("Most of it concerns " + topTags.prefix(3).map(percent).joined(separator: ", ") + ".") }
        if restricted {
            words.append("You restricted processing: your data is kept but not used, and your recommendations are not personalized.")
        } else if !permitted {
            words.append("Your recommendations are not personalized: your consent does not permit it.")
        } else if personalized, !drivers.isEmpty {
            words.append("Your recommendations are driven most by " + drivers.prefix(3).map(percent).joined(separator: ", ") + ".")
        } else {
            words.append("Your recommendations are not personalized yet.")
        }
        return .init(summary: words.joined(separator: " "), topTags: Array(topTags), drivers: Array(drivers), personalized: personalized)
    }
}
