import Hummingbird
import NIOConcurrencyHelpers

/// The routes the router serves, as path templates and methods: a request that matches a path with
/// another method gets 405 and an `Allow` header instead of 404.
final class RouteTable: Sendable {
    private let routes = NIOLockedValueBox<[(segments: [Substring], methods: Set<String>)]>([])

    /// Records the router's routes (after they are all added).
    func fill(from descriptions: [(path: String, method: String)]) {
        var byPath: [String: Set<String>] = [:]
        for d in descriptions { byPath[d.path, default: []].insert(d.method) }
        routes.withLockedValue { $0 = byPath.map { (Self.segments($0.key), $0.value) } }
    }

    /// The methods served on `path`, or nil if no route has that path.
    func methods(for path: String) -> Set<String>? {
        let parts = Self.segments(path)
        return routes.withLockedValue { routes in
            var found: Set<String>?
            for route in routes where route.segments.count == parts.count {
                let matches = zip(route.segments, parts).allSatisfy { template, part in
                    template.hasPrefix("{") || template.hasPrefix(":") ? !part.isEmpty : template == part
                }
                if matches { found = (found ?? []).union(route.methods) }
            }
            return found
        }
    }

    private static func segments(_ path: String) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: true)
    }
}
