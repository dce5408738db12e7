import TactCore

/// The catalog as serving sees it now: what a list shows for an item, and which items still exist
/// (an item deleted since the model was trained is never recommended).
public protocol CatalogLookup: Sendable {
    /// The item as the catalog holds it now; nil once it is deleted.
    func item(_ id: String) -> Item?
    /// Every item (exploration looks beyond the model's columns).
    func allItems() -> [Item]
}

/// The catalog read from the store once: for a command that answers one request.
public struct StoredCatalog: CatalogLookup {
    private let items: [String: Item]

    public init(engine: Engine) throws {
        var items: [String: Item] = [:]
        for entry in try engine.store.read({ try $0.items() }) { items[entry.item.id] = entry.item }
        self.items = items
    }

    public func item(_ id: String) -> Item? { items[id] }
    public func allItems() -> [Item] { Array(items.values) }
}
