import Foundation
import TactCore
import TactStore
import Testing

@testable import TactEngine

/// The audit entry of an erasure, found missing by the mutation check (fault `audit-erase-entry`): the
/// erasure tests checked what is removed and what the request records, not that the log records it.
@Suite struct ErasureAuditTests {
    @Test("an erasure is recorded in the audit log once: action subject.erase, its actor and its request")
    func erasureIsAudited() throws {
        let f = try RightsFixture()
        let before = try f.engine.store.read { try $0.recentAuditEntries(limit: 1_000) }
        #expect(!before.contains { $0.action == "subject.erase" })
        let result = try SubjectRights(engine: f.engine).erase(user: "eve", actor: "dpo")
        let after = try f.engine.store.read { try $0.recentAuditEntries(limit: 1_000) }
        let erasures = after.filter { $0.action == "subject.erase" }
        #expect(erasures.count == 1, "\(after.map(\.action))")
        #expect(erasures.first?.actor == "dpo")
        #expect(erasures.first?.detail == "request=\(result.requestID)")
    }
}
