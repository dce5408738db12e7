import TactCore
import TactPrivacy

/// Keeps personal data out of the catalog: an item's title and tags are shown to everyone who gets it
/// recommended, so the kinds of data that must never leave in a response (e-mail addresses, phone numbers,
/// card numbers, IBANs, social security numbers, crypto wallets, IP and MAC addresses: `EgressCheck.defaultTypes`)
/// are replaced by their type tag (`<EMAIL>`) when the item is written, by the API and by `tact import`
/// alike. What was found is counted, so the write that brought it in can be flagged once.
public struct CatalogScrubber: Sendable {
    let check = EgressCheck()

    public init() {}

    /// The item with personal data in its title and tags replaced, and what was found (empty when clean).
    public func scrub(_ item: Item) -> (item: Item, found: [PIIType: Int]) {
        var found: [PIIType: Int] = [:]
        func clean(_ text: String) -> String {
            let result = check.check(Array(text.utf8))
            guard !result.clean else { return text }
            for (type, n) in result.counts { found[type, default: 0] += n }
            return String(decoding: result.body, as: UTF8.self)
        }
        var out = item
        out.title = clean(item.title)
        out.tags = item.tags.map(clean)
        return (out, found)
    }

    /// " pii_replaced=2email,1phone" for an audit entry's detail, or "" when nothing was found.
    public static func auditDetail(_ found: [PIIType: Int]) -> String {
        found.isEmpty ? "" : " pii_replaced=" + describe(found).replacingOccurrences(of: " ", with: "")
    }

    /// "2 email, 1 phone", for messages and alerts.
    public static func describe(_ found: [PIIType: Int]) -> String {
        found.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.value) \($0.key.rawValue)" }.joined(separator: ", ")
    }
}
