import TactCore

/// Which devices pair masks and hold each other's shares. `complete` is Bonawitz et al.'s protocol:
/// every pair, so each device's cost grows with the round's size. `harary(degree:seed:)` is the
/// sparse graph of Bell et al. 2020 (SecAgg+): the devices, in an order shuffled by a public seed,
/// sit on a ring and pair with the `degree` nearest (`degree`/2 on each side; an odd degree is rounded
/// down to even), so each device's cost stays the same as the
/// round grows, and the server still only learns sums over neighborhoods no smaller than the threshold.
public enum MaskGraph: Sendable, Equatable, Codable {
    case complete
    case harary(degree: Int, seed: UInt64)

    /// The neighbors of every device among `ids`.
    public func neighbors(of ids: [UInt32]) -> [UInt32: [UInt32]] {
        let sorted = ids.sorted()
        switch self {
        case .complete:
            return Dictionary(uniqueKeysWithValues: sorted.map { id in (id, sorted.filter { $0 != id }) })
        case .harary(let degree, let seed):
            let n = sorted.count
            if degree >= n - 1 { return MaskGraph.complete.neighbors(of: ids) }
            var order = sorted
            var random = SplitMix64(seed: seed)
            for i in stride(from: n - 1, to: 0, by: -1) { order.swapAt(i, Int(random.next() % UInt64(i + 1))) }
            let half = max(1, degree / 2)
            var result: [UInt32: [UInt32]] = [:]
            for (position, id) in order.enumerated() {
                var peers = Set<UInt32>()
                for step in 1...half {
                    peers.insert(order[(position + step) % n])
                    peers.insert(order[(position - step + n) % n])
                }
                peers.remove(id)
                result[id] = peers.sorted()
            }
            return result
        }
    }
}
