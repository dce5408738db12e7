import Foundation
import TactCore

/// The catalog: items, their rows, who interacted with each, and the catalog's version.
/// Read inside any `Store.read` or `Store.write`; `StoreReader` composes every concern's reader.
public protocol CatalogReader {
    func itemRow(for id: String) throws -> ItemRow?
    /// The catalog id of an item row.
    func itemID(of row: ItemRow) throws -> String?
    func item(for id: String) throws -> Item?
    /// All items with their rows, in row order.
    func items() throws -> [(row: ItemRow, item: Item)]
    /// The items the operator registered (`upsertItem`: a catalog import, the items API), in row order;
    /// not those an event created by naming an unknown item (`ensureItem`). The universe of private releases.
    func registeredItems() throws -> [(row: ItemRow, item: Item)]
    /// A number the database raises on every change to the catalog (an item added, changed or deleted,
    /// by any process and any code path: triggers keep it), so caches of the catalog can tell that
    /// another server changed it.
    func catalogVersion() throws -> Int64
    /// Who interacted with an item, as training sums it: every event's subject, kind and value.
    func itemHistory(of item: ItemRow) throws -> [(subject: SubjectRow, kind: InteractionKind, value: Double)]
    /// The rows of these catalog ids (ids the catalog lacks are absent).
    func itemRows(for ids: [String]) throws -> [String: ItemRow]
    /// `itemHistory(of:)` of each of these items (items without events are absent).
    func itemHistories(of items: [ItemRow]) throws -> [ItemRow: [(subject: SubjectRow, kind: InteractionKind, value: Double)]]
}

/// Changes to the catalog, inside a `Store.write`; `StoreWriter` composes every concern's writer.
public protocol CatalogWriter {
    /// Adds an item or replaces its title, tags and creation time; returns its row. The item counts as
    /// registered by the operator from then on (`registeredItems`).
    func upsertItem(_ item: Item) throws -> ItemRow
    /// The row of an item, adding a bare item (id only) when the catalog does not have it yet. Such an
    /// item is not registered: an event created it, so it is in no private release's universe.
    func ensureItem(id: String) throws -> ItemRow
    /// Removes a catalog item and every interaction naming it; returns how many interactions
    /// were removed, or nil if the catalog has no such item.
    func deleteItem(id: String) throws -> Int?
}

/// The batch reads, composed of the single ones; a store that pays a round trip per query answers each in one.
extension CatalogReader {
    public func itemRows(for ids: [String]) throws -> [String: ItemRow] {
        var result: [String: ItemRow] = [:]
        for id in ids { if let row = try itemRow(for: id) { result[id] = row } }
        return result
    }

    public func itemHistories(of items: [ItemRow]) throws -> [ItemRow: [(subject: SubjectRow, kind: InteractionKind, value: Double)]] {
        var result: [ItemRow: [(subject: SubjectRow, kind: InteractionKind, value: Double)]] = [:]
        for item in items {
            let history = try itemHistory(of: item)
            if !history.isEmpty { result[item] = history }
        }
        return result
    }

}
