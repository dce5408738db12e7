import Foundation
import TactCore
import TactPrivacy
import TactStore

/// What people decided after a backup was taken, read from the store a restore replaces, so that the restore
/// keeps it: every consent record since (a withdrawal or an opt-out must not be undone by going back in time)
/// and everyone's current restriction of processing.
struct LaterDecisions {
    struct Person {
        var consent: [ConsentRecord]
        var restrictedAt: Int64?
    }

    var people: [Pseudonym: Person] = [:]

    /// How many consent records are carried.
    var consentRecords: Int { people.values.reduce(0) { $0 + $1.consent.count } }

    /// Reads them from `store`: consent records made at or after `time`, and every restriction in force.
    init(from store: any Store, since time: Int64) throws {
        people = try store.read { r in
            var result: [Pseudonym: Person] = [:]
            for (row, pseudonym) in try r.subjectPseudonyms() {
                let consent = try r.consentHistory(of: row).filter { $0.recordedAt >= time }
                result[pseudonym] = Person(consent: consent, restrictedAt: try r.restriction(of: row))
            }
            return result
        }
    }

    /// Applies them to `store` (the restored one): records appended after the backup's own, restrictions set
    /// as they were. Someone new since the backup gets a subject row when they have a decision to keep.
    func apply(to store: any Store, at now: Int64) throws {
        try store.write { w in
            for (pseudonym, person) in people {
                var row = try w.subjectRow(for: pseudonym)
                if row == nil, !person.consent.isEmpty || person.restrictedAt != nil { row = try w.insertSubject(pseudonym, createdAt: now) }
                guard let row else { continue }
                for record in person.consent { try w.appendConsent(record, subject: row) }
                if try w.restriction(of: row) != person.restrictedAt { try w.setRestriction(of: row, at: person.restrictedAt) }
            }
        }
    }
}
