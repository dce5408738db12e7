import Foundation
import TactCore
import TactPrivacy
import TactStore

/// Imports catalog items (not personal data) in one transaction.
public struct CatalogImporter: Sendable {
    public let engine: Engine

    public init(engine: Engine) { self.engine = engine }

    /// Adds or updates every item the reader yields; returns how many and the seconds taken.
    public func importItems(_ reader: any ItemReader, actor: String = "cli", source: String) throws -> (count: Int, seconds: Double) {
        let started = Date()
        let scrubber = CatalogScrubber()
        var scrubbed: [PIIType: Int] = [:]
        let count = try engine.store.write { w -> Int in
            var n = 0
            while let read = try reader.next() {
                // Personal data in a title or tag would be shown with every recommendation of the item.
                let (item, found) = scrubber.scrub(read)
                for (type, k) in found { scrubbed[type, default: 0] += k }
                _ = try w.upsertItem(item)
                n += 1
            }
            try w.appendAudit(
                AuditEntry(
                    at: Int64(started.timeIntervalSince1970), actor: actor, action: "import.items",
                    detail: "source=\(source) items=\(n)" + CatalogScrubber.auditDetail(scrubbed)))
            return n
        }
        if !scrubbed.isEmpty {
            engine.logger.warning(
                "the catalog held personal data in titles or tags; it was replaced by type tags",
                metadata: ["found": "\(CatalogScrubber.describe(scrubbed))"])
        }
        return (count, Date().timeIntervalSince(started))
    }
}
