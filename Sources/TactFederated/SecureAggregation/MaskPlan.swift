import TactPrivacy

/// What closing a round's key step decides: each device's neighbors and threshold. It depends only on
/// who joined (device ids and their owners) and the graph, so it can be built away from the server's
/// state (off an actor, on another thread) and then installed with `SecureAggregationServer.install(_:)`.
///
/// An owner is whoever holds a device's credentials (over HTTP: the API key it joined with). Devices of
/// one owner are one participant: they count once toward the round's minimum, and the devices of one
/// owner must never hold as many of another device's shares as its threshold. Otherwise one key could
/// join many devices, surround an honest device and (with the server, or as the server) rebuild its
/// masks, or send zero inputs beside it and read its vector from the unmasked sum.
public struct MaskPlan: Sendable {
    public let neighbors: [UInt32: [UInt32]]
    public let thresholds: [UInt32: Int]
    /// Distinct owners among the devices.
    public let owners: Int
    /// The graph the neighbors come from (for a Harary graph, the seed of the shuffle that passed).
    public let graph: MaskGraph

    /// The plan for devices `owners` (id → owner) on `graph`. Throws `tooFewOwners` below
    /// `minimumOwners` distinct owners, and `concentrated` when one owner would hold a threshold of some
    /// other owner's device's shares; a Harary graph is shuffled again (up to `attempts` seeds, each
    /// derived from the graph's) before giving up.
    public static func build(owners: [UInt32: String], graph: MaskGraph, minimumOwners: Int, attempts: Int = 16) throws -> MaskPlan {
        // Owners as small integers, so the checks count in arrays.
        var index: [String: Int] = [:]
        var owner: [UInt32: Int] = [:]
        owner.reserveCapacity(owners.count)
        for (id, name) in owners {
            if let k = index[name] { owner[id] = k } else { index[name] = index.count; owner[id] = index.count - 1 }
        }
        let distinct = index.count
        guard distinct >= minimumOwners, owners.count >= minimumOwners else {
            throw SecureAggregationError.tooFewOwners(have: distinct, need: minimumOwners)
        }
        let ids = Array(owners.keys)
        var worst: (device: UInt32, held: Int, threshold: Int) = (0, 0, 0)
        // The complete graph is one graph; a Harary graph is tried with other shuffles.
        let tries = graph == .complete ? 1 : max(1, attempts)
        for attempt in 0..<tries {
            let candidate: MaskGraph
            switch graph {
            case .complete: candidate = .complete
            case .harary(let degree, let seed): candidate = .harary(degree: degree, seed: seed &+ UInt64(attempt) &* 0x9E37_79B9_7F4A_7C15)
            }
            let neighbors = candidate.neighbors(of: ids)
            var thresholds: [UInt32: Int] = [:]
            thresholds.reserveCapacity(neighbors.count)
            for (id, peers) in neighbors { thresholds[id] = Neighborhood.threshold(holders: peers.count) }
            if let found = concentration(neighbors: neighbors, thresholds: thresholds, owner: owner, owners: distinct, complete: candidate == .complete) {
                worst = found
                continue
            }
            return MaskPlan(neighbors: neighbors, thresholds: thresholds, owners: distinct, graph: candidate)
        }
        throw SecureAggregationError.concentrated(device: worst.device, held: worst.held, threshold: worst.threshold)
    }

    /// A device some other owner holds at least a threshold of shares of (the largest such holding), or nil.
    static func concentration(
        neighbors: [UInt32: [UInt32]], thresholds: [UInt32: Int], owner: [UInt32: Int], owners: Int,
        complete: Bool
    ) -> (device: UInt32, held: Int, threshold: Int)? {
        if complete {
            // Every device neighbors every other: owner K holds |K| shares of each device it does not own.
            var sizes = [Int](repeating: 0, count: owners)
            for k in owner.values { sizes[k] += 1 }
            let order = sizes.indices.sorted { sizes[$0] > sizes[$1] }
            for (id, t) in thresholds.sorted(by: { $0.key < $1.key }) {
                let mine = owner[id]!
                guard let largest = order.first(where: { $0 != mine }) else { continue }
                if sizes[largest] >= t { return (id, sizes[largest], t) }
            }
            return nil
        }
        var counts = [Int](repeating: 0, count: owners)
        for id in neighbors.keys.sorted() {
            let peers = neighbors[id]!, mine = owner[id]!, t = thresholds[id]!
            var held = 0
            for peer in peers { let k = owner[peer]!; counts[k] += 1; if k != mine { held = max(held, counts[k]) } }
            for peer in peers { counts[owner[peer]!] = 0 }
            if held >= t { return (id, held, t) }
        }
        return nil
    }
}
