/// Keeps the k best (score, index) pairs seen, with a min-heap: O(n log k) partial selection.
struct TopK {
    let k: Int
    private(set) var heap: [(score: Float, index: Int32)] = []

    init(k: Int) {
        self.k = k
        heap.reserveCapacity(k)
    }

    /// The smallest score kept, once k are kept; below it nothing can enter.
    var threshold: Float { heap.count < k ? -.infinity : heap[0].score }

    mutating func offer(_ score: Float, _ index: Int32) {
        guard k > 0 else { return }
        if heap.count < k {
            heap.append((score, index))
            var c = heap.count - 1
            while c > 0 {
                let p = (c - 1) / 2
                if Self.less(heap[c], heap[p]) { heap.swapAt(c, p); c = p } else { break }
            }
        } else if Self.less(heap[0], (score, index)) {
            heap[0] = (score, index)
            var p = 0
            while true {
                let l = 2 * p + 1, r = l + 1
                var m = p
                if l < heap.count, Self.less(heap[l], heap[m]) { m = l }
                if r < heap.count, Self.less(heap[r], heap[m]) { m = r }
                if m == p { break }
                heap.swapAt(p, m)
                p = m
            }
        }
    }

    /// Ties rank the lower index first, so results are deterministic.
    @inline(__always)
    static func less(_ a: (score: Float, index: Int32), _ b: (score: Float, index: Int32)) -> Bool {
        a.score != b.score ? a.score < b.score : a.index > b.index
    }

    /// The kept pairs, best first.
    func sorted() -> [(score: Float, index: Int32)] {
        heap.sorted { Self.less($1, $0) }
    }
}
