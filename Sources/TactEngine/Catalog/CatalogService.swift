import Foundation
import TactCore
import TactPrivacy
import TactStore

/// The catalog as the front ends see it: what it holds, and the writes the items API makes (each with its
/// audit entry, in the same transaction). A file import goes through `CatalogImporter`.
public struct CatalogService: Sendable {
    public let engine: Engine

    public init(engine: Engine) { self.engine = engine }

    /// Every item, in row order.
    public func items() throws -> [Item] {
        try engine.store.read { try $0.items() }.map(\.item)
    }

    /// One item; nil when the catalog does not have it.
    public func item(_ id: String) throws -> Item? {
        try engine.store.read { try $0.item(for: id) }
    }

    /// Those of `ids` the catalog has (an event may have added them bare).
    public func known(_ ids: Set<String>) throws -> Set<String> {
        guard !ids.isEmpty else { return [] }
        return Set(try engine.store.read { try $0.itemRows(for: Array(ids)) }.keys)
    }

    /// Adds or replaces these items (already scrubbed of personal data) and audits the write as `catalog.upsert`.
    public func upsert(_ items: [Item], actor: String, detail: String, at: Int64 = Int64(Date().timeIntervalSince1970)) throws {
        try engine.store.write { w in
            for item in items { _ = try w.upsertItem(item) }
            try w.appendAudit(AuditEntry(at: at, actor: actor, action: "catalog.upsert", detail: detail))
        }
    }

    /// Removes an item and every event naming it, audited as `catalog.delete`; returns how many events went,
    /// or nil when the catalog has no such item (nothing is written then).
    public func delete(_ id: String, actor: String, at: Int64 = Int64(Date().timeIntervalSince1970)) throws -> Int? {
        try engine.store.write { w in
            guard let removed = try w.deleteItem(id: id) else { return nil }
            try w.appendAudit(AuditEntry(at: at, actor: actor, action: "catalog.delete", detail: "events_removed=\(removed)"))
            return removed
        }
    }

    /// Tells whether anyone (this process, another server, `tact import items`) changed the catalog since the last look.
    public func changeWatcher() -> CatalogChangeWatcher {
        CatalogChangeWatcher(store: engine.store)
    }
}

extension Engine {
    public var catalog: CatalogService { CatalogService(engine: self) }
}
