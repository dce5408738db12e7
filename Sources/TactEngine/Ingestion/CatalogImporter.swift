import Foundation
import TactCore
import TactStore

/// Imports catalog items (not personal data) in one transaction.
public struct CatalogImporter: Sendable {
    public let engine: Engine

    public init(engine: Engine) { self.engine = engine }

    /// Adds or updates every item the reader yields; returns how many and the seconds taken.
    public func importItems(_ reader: any ItemReader, actor: String = "cli", source: String) throws -> (count: Int, seconds: Double) {
        let started = Date()
        let count = try engine.store.write { w -> Int in
            var n = 0
            while let item = try reader.next() {
                _ = try w.upsertItem(item)
                n += 1
            }
            try w.appendAudit(AuditEntry(at: Int64(started.timeIntervalSince1970), actor: actor, action: "import.items", detail: "source=\(source) items=\(n)"))
            return n
        }
        return (count, Date().timeIntervalSince(started))
    }
}
