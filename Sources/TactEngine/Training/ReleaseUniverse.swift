import TactCore
import TactStore

/// The items every private release runs over: the catalog the operator registered (`tact import
/// items`, a MovieLens directory's catalog, `PUT /v1/items`), sorted by item id. An event that names
/// an unknown item creates a bare catalog row so the event can be stored, but such a row exists because
/// of someone's data, so it is not in the universe: a private release neither noises nor ranks it, and
/// events on it do not count. Both the set and the order depend only on what the operator registered,
/// never on who touched what, so removing or adding a person leaves the columns, their order, the
/// starting factors and each person's contribution key (`ContributionKey`) as they were.
public struct ReleaseUniverse: Sendable, Equatable {
    /// Item ids, ascending: column j of a private release is `items[j]`.
    public let items: [String]

    public init(items: [String]) { self.items = items.sorted() }

    /// The registered catalog as it is in the store now.
    public static func read(from engine: Engine) throws -> ReleaseUniverse {
        try engine.store.read { r in try read(from: r) }
    }

    static func read(from r: any StoreReader) throws -> ReleaseUniverse {
        ReleaseUniverse(items: try r.registeredItems().map(\.item.id))
    }

    /// Throws, saying what to do, when there is nothing to release over.
    public func requireItems() throws {
        guard items.isEmpty else { return }
        throw EngineError.invalidArgument(
            "a private release runs over the registered catalog, and no item is registered: items that only appear in events do not count (they would reveal who touched them). Import the catalog with 'tact import items FILE' or PUT /v1/items/{item}, then try again"
        )
    }
}
