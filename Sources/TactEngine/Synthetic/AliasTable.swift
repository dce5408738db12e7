/// Samples an index from a fixed discrete distribution in constant time (Walker's alias method,
/// built by Vose's algorithm in linear time).
///
/// Weights need not sum to one. Negative, NaN and infinite weights count as zero; when every
/// weight is zero the distribution is uniform. An empty table cannot be sampled.
struct AliasTable: Sendable {
    /// For each slot, the chance of keeping the slot's own index rather than its alias.
    private let keep: [Double]
    /// For each slot, the index returned when the slot is not kept.
    private let alias: [Int32]

    /// The number of outcomes.
    var count: Int { keep.count }

    init(weights: [Double]) {
        let n = weights.count
        precondition(n <= Int(Int32.max), "AliasTable holds at most Int32.max outcomes")
        var clean = weights.map { $0.isFinite && $0 > 0 ? $0 : 0 }
        var total = 0.0
        for w in clean { total += w }
        if total == 0 {
            clean = Array(repeating: 1, count: n)
            total = Double(n)
        }

        // Scale so that the average slot holds exactly 1.
        var scaled = clean.map { $0 * Double(n) / total }
        var keep = Array(repeating: 1.0, count: n)
        var alias = (0..<n).map { Int32($0) }
        var small: [Int] = []
        var large: [Int] = []
        for (i, p) in scaled.enumerated() {
            if p < 1 { small.append(i) } else { large.append(i) }
        }
        while let s = small.last, let l = large.last {
            small.removeLast()
            keep[s] = scaled[s]
            alias[s] = Int32(l)
            scaled[l] = (scaled[l] + scaled[s]) - 1
            if scaled[l] < 1 {
                large.removeLast()
                small.append(l)
            }
        }
        // What is left is 1 up to rounding error: those slots always keep their own index.
        for i in large { keep[i] = 1 }
        for i in small { keep[i] = 1 }
        self.keep = keep
        self.alias = alias
    }

    /// One index in 0..<count, drawn with probability proportional to its weight.
    func sample(_ random: inout SeededRandom) -> Int {
        let slot = random.nextInt(below: keep.count)
        return random.nextDouble() < keep[slot] ? slot : Int(alias[slot])
    }
}
