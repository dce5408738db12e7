import Foundation
import NIOConcurrencyHelpers
import TactCore
import TactEngine
import TactStore

/// The catalog in memory: what responses show for an item and which items still exist. Kept in step
/// with the store by the catalog routes of this server at once, and with changes made by anyone else
/// (another server, `tact import items`) within `watchInterval`: the database raises a catalog version
/// on every change, and when it has moved the whole catalog is read again.
final class CatalogCache: Sendable {
    private struct State {
        var items: [String: Item] = [:]
        var sortedIDs: [String]?
    }
    private let state: NIOLockedValueBox<State>
    private let catalog: CatalogService
    private let watcher: CatalogChangeWatcher?
    private let looks: LookSchedule

    /// `watch`: whether to follow changes made by others (off for a server alone on its database that
    /// wants no query per interval; on by default).
    init(engine: Engine, watch: Bool = true, watchInterval: Double = 0.25) throws {
        catalog = engine.catalog
        watcher = watch ? catalog.changeWatcher() : nil
        looks = LookSchedule(interval: watchInterval)
        _ = try watcher?.changedSinceLastLook()  // the baseline, before the first read: no change is missed
        state = NIOLockedValueBox(State(items: try Self.read(catalog)))
    }

    private static func read(_ catalog: CatalogService) throws -> [String: Item] {
        var items: [String: Item] = [:]
        for item in try catalog.items() { items[item.id] = item }
        return items
    }

    /// Reads the catalog again if anyone changed it since the last look (at most one look per
    /// `watchInterval`; the request that comes due does it, the others go on with what is here). When
    /// the store cannot answer, what is here is kept, and the next look tries again.
    func noticeOutsideChanges(now: Double = ProcessInfo.processInfo.systemUptime) {
        guard let watcher, looks.isDue(now: now), (try? watcher.changedSinceLastLook()) == true, let items = try? Self.read(catalog) else { return }
        state.withLockedValue { $0 = State(items: items) }
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
