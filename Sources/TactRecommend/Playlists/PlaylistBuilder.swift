/// Orders a playlist from two pools, familiar items (the person's own, not heard lately) and
/// discoveries (recommended): familiar items are spread evenly at the requested share, and each next
/// item is the best of its pool by (1 − smoothness)·relevance + smoothness·similarity to the item
/// before, within the group caps. A seed (the person and the week) jitters relevance a little, so the
/// playlist changes from week to week and stays the same within one.
public enum PlaylistBuilder {
    public struct Entry: Sendable, Equatable {
        public var item: Int32
        public var familiar: Bool
        public var score: Float
    }

    public static func build(
        familiar: [(item: Int32, score: Float)], discovery: [(item: Int32, score: Float)], options: PlaylistOptions,
        similarity: (Int32, Int32) -> Float, groups: (Int32) -> [String], seed: UInt64
    ) -> [Entry] {
        let length = max(0, options.length)
        var pools = [prepare(familiar, seed: seed), prepare(discovery, seed: seed ^ 0x9E37_79B9_7F4A_7C15)]
        let wantedFamiliar = min(pools[0].count, Int((Float(length) * min(max(options.familiarShare, 0), 1)).rounded()))
        let smooth = min(max(options.smoothness, 0), 1)
        var perGroup: [String: Int] = [:]
        var used = Set<Int32>()
        var out: [Entry] = []
        var familiarPlaced = 0
        for position in 0..<length {
            // Familiar items at evenly spread positions (Bresenham); a pool that runs dry gives way to the other.
            let due = ((position + 1) * wantedFamiliar) / max(length, 1) > (position * wantedFamiliar) / max(length, 1)
            let order = due && familiarPlaced < wantedFamiliar ? [0, 1] : [1, 0]
            var placed = false
            for p in order {
                guard
                    let pick = best(
                        in: pools[p], after: out.last?.item, smooth: smooth, used: used, perGroup: perGroup,
                        cap: options.maxPerGroup, similarity: similarity, groups: groups)
                else { continue }
                let entry = pools[p][pick]
                used.insert(entry.item)
                for g in groups(entry.item) { perGroup[g, default: 0] += 1 }
                out.append(Entry(item: entry.item, familiar: p == 0, score: entry.score))
                if p == 0 { familiarPlaced += 1 }
                pools[p].remove(at: pick)
                placed = true
                break
            }
            if !placed { break }
        }
        return out
    }

    /// The pool with relevance scaled to 0...1 and jittered by up to 0.05 from the seed.
    private static func prepare(_ pool: [(item: Int32, score: Float)], seed: UInt64) -> [(item: Int32, score: Float, relevance: Float)] {
        guard let low = pool.map(\.score).min(), let high = pool.map(\.score).max() else { return [] }
        let span = high - low > 1e-12 ? high - low : 1
        return pool.map { entry in
            var h = seed ^ (UInt64(UInt32(bitPattern: entry.item)) &* 0xBF58_476D_1CE4_E5B9)
            h = (h ^ (h >> 31)) &* 0x94D0_49BB_1331_11EB
            h ^= h >> 29
            let jitter = Float(h >> 40) / Float(1 << 24) * 0.05
            return (entry.item, entry.score, (entry.score - low) / span + jitter)
        }
    }

    private static func best(
        in pool: [(item: Int32, score: Float, relevance: Float)], after previous: Int32?, smooth: Float, used: Set<Int32>,
        perGroup: [String: Int], cap: Int?, similarity: (Int32, Int32) -> Float, groups: (Int32) -> [String]
    ) -> Int? {
        var best: Int?
        var bestValue = -Float.infinity
        for (i, entry) in pool.enumerated() where !used.contains(entry.item) {
            if let cap, groups(entry.item).contains(where: { perGroup[$0, default: 0] >= cap }) { continue }
            let closeness = previous.map { similarity($0, entry.item) } ?? 0
            let value = (1 - smooth) * entry.relevance + smooth * closeness
            if value > bestValue { bestValue = value; best = i }
        }
        return best
    }

    /// Mean similarity of consecutive items: how smoothly the playlist flows.
    public static func coherence(_ items: [Int32], similarity: (Int32, Int32) -> Float) -> Double {
        guard items.count > 1 else { return 0 }
        var sum = 0.0
        for i in 1..<items.count { sum += Double(similarity(items[i - 1], items[i])) }
        return sum / Double(items.count - 1)
    }
}
