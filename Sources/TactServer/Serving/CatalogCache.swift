import NIOConcurrencyHelpers
import TactCore
import TactEngine

/// The catalog in memory: what responses show for an item and which items still exist. Kept in step
/// with the store by the catalog routes of this server.
final class CatalogCache: Sendable {
    private struct State {
        var items: [String: Item] = [:]
        var sortedIDs: [String]?
    }
    private let state: NIOLockedValueBox<State>

    init(engine: Engine) throws {
        var s = State()
        for entry in try engine.store.read({ try $0.items() }) { s.items[entry.item.id] = entry.item }
        state = NIOLockedValueBox(s)
    }

    func item(_ id: String) -> Item? { state.withLockedValue { $0.items[id] } }
    var count: Int { state.withLockedValue { $0.items.count } }
    /// Every item (for exploration, which looks beyond the model's columns).
    func allItems() -> [Item] { state.withLockedValue { Array($0.items.values) } }

    func put(_ item: Item) {
        state.withLockedValue { s in
            if s.items.updateValue(item, forKey: item.id) == nil { s.sortedIDs = nil }
        }
    }

    func remove(_ id: String) {
        state.withLockedValue { s in
            if s.items.removeValue(forKey: id) != nil { s.sortedIDs = nil }
        }
    }

    /// Up to `limit` items in id order, starting after `after`.
    func page(after: String?, limit: Int) -> [Item] {
        state.withLockedValue { s in
            if s.sortedIDs == nil { s.sortedIDs = s.items.keys.sorted() }
            let ids = s.sortedIDs!
            var start = 0
            if let after {
                var lo = 0, hi = ids.count
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if ids[mid] <= after { lo = mid + 1 } else { hi = mid }
                }
                start = lo
            }
            return ids[start..<min(ids.count, start + limit)].compactMap { s.items[$0] }
        }
    }
}
