import Foundation
import TactCore
import TactRecommend
import TactStore

/// What is kept about one person, counted by category, with the interests inferred from it: what the
/// privacy center shows. Unlike an export, reading it opens no request (the page view is audited by
/// the server instead) and holds no free text.
public struct SubjectOverview: Sendable {
    public var known = false
    public var interactions = 0
    public var items = 0
    /// Free-text notes, scrubbed and sealed under the person's own key.
    public var sealedNotes = 0
    public var consentRecords = 0
    public var auditEntries = 0
    public var restrictedAt: Int64?
    public var consent = ConsentState()
    /// Top tags of their activity, by share of its strength.
    public var interests: [SubjectExport.Share] = []
    public var requests: [SubjectRequest] = []

    public init() {}

    public static func read(pseudonym: Pseudonym, engine: Engine) throws -> SubjectOverview {
        var overview = try engine.store.read { r -> SubjectOverview in
            var o = SubjectOverview()
            guard let row = try r.subjectRow(for: pseudonym) else { return o }
            o.known = true
            let stored = try r.interactions(of: row)
            o.interactions = stored.count
            o.sealedNotes = stored.filter { $0.sealedContext != nil || $0.context != nil }.count
            var strength: [ItemRow: Float] = [:]
            for e in stored { strength[e.item, default: 0] += EventWeight.strength(kind: e.kind.rawValue, value: e.value) }
            o.items = strength.count
            var items: [(item: Item, strength: Float)] = []
            for (itemRow, s) in strength {
                guard let id = try r.itemID(of: itemRow) else { continue }
                items.append((try r.item(for: id) ?? Item(id: id), s))
            }
            o.interests = SubjectExporter.profile(items: items, recommendations: [], personalized: false, restricted: false, permitted: true).topTags
            o.consent = try r.consentState(of: row)
            o.consentRecords = try r.consentHistory(of: row).count
            o.auditEntries = try r.auditEntries(of: row).count
            o.restrictedAt = try r.restriction(of: row)
            return o
        }
        overview.requests = try SubjectRights(engine: engine).requests(pseudonym: pseudonym)
        return overview
    }
}
