import TactCore

/// Serves a trained ALS model: top-k for a factor vector, fold-in of a history, reasons, similar items.
public struct ALSServing: Sendable {
    public let model: ALSModel
    /// YᵀY + λI of the item factors, for fold-in and reasons.
    let itemGram: [Float]
    /// ‖y_i‖ per item, for cosine similarity.
    let itemNorms: [Float]
    /// The item factors again, blocked for scoring the whole catalog.
    let scorer: ItemScorer
    /// The approximate top-k search `recommend` uses; nil below `indexThreshold` items.
    public let index: InnerProductIndex?

    /// Catalogs this large or larger get an `InnerProductIndex`; smaller ones are scanned whole, which
    /// is exact and takes at most about 0.1 ms with 64 factors (see Benchmarks/ServingLatency).
    public static let indexThreshold = 20_000

    /// Serves `model`, indexing its items when there are at least `indexThreshold` of them.
    public init(model: ALSModel, indexThreshold: Int = ALSServing.indexThreshold) {
        self.model = model
        index = model.itemFactors.rows >= indexThreshold ? InnerProductIndex(itemFactors: model.itemFactors) : nil
        itemGram = GramMatrix.compute(model.itemFactors, regularization: model.configuration.regularization, threads: 1)
        let y = model.itemFactors
        scorer = ItemScorer(y)
        itemNorms = (0..<y.rows).map { i in
            y.storage.withUnsafeBufferPointer { VectorKernels.dot($0.baseAddress! + i * y.stride, $0.baseAddress! + i * y.stride, y.stride).squareRoot() }
        }
    }

    /// The user vector that best explains `history` (item index, value) with the item factors fixed:
    /// the exact solution of the person's own least-squares problem. New and changed people need no retraining.
    /// The reference computation, in Double: serving folds in through `PersonalSystem`, checked against this.
    public func foldIn(history: [(item: Int32, value: Float)]) -> [Float] {
        let y = model.itemFactors, s = y.stride
        var x = [Float](repeating: 0, count: s)
        let items = history.map(\.item), confidences = history.map { model.configuration.confidence(of: $0.value) }
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: 4 * s + s * s + s)
        defer { scratch.deallocate() }
        scratch.initialize(repeating: 0, count: 4 * s + s * s + s)
        y.storage.withUnsafeBufferPointer { ys in
            itemGram.withUnsafeBufferPointer { gs in
                items.withUnsafeBufferPointer { ip in
                    confidences.withUnsafeBufferPointer { cp in
                        x.withUnsafeMutableBufferPointer { xp in
                            let row = LeastSquaresSolver.Row(items: ip.baseAddress!, values: cp.baseAddress!, count: items.count)
                            LeastSquaresSolver.cholesky(
                                x: xp.baseAddress!, row: row, y: ys.baseAddress!, gram: gs.baseAddress!, stride: s, factors: y.factors, scratch: scratch)
                        }
                    }
                }
            }
        }
        return x
    }

    /// The trained vector of user `u` (padded to the model's stride).
    public func userVector(_ u: Int) -> [Float] {
        let s = model.userFactors.stride
        return Array(model.userFactors.storage[(u * s)..<((u + 1) * s)])
    }

    /// The `k` best items for vector `x`, leaving out `excluding` and items `allowed` rejects: from the
    /// index when there is one (approximate; scores exact), else from `recommendExact`.
    public func recommend(_ x: [Float], k: Int, excluding: Set<Int32> = [], allowed: ((Int32) -> Bool)? = nil) -> [(item: Int32, score: Float)] {
        if let index { return index.search(x, k: k, excluding: excluding, allowed: allowed) }
        return recommendExact(x, k: k, excluding: excluding, allowed: allowed)
    }

    /// Every item's score for vector `x`, by column (what `recommendExact` ranks).
    public func scores(_ x: [Float]) -> [Float] {
        let n = model.itemFactors.rows
        var out = [Float](repeating: 0, count: (n + 15) / 16 * 16)
        out.withUnsafeMutableBufferPointer { o in x.withUnsafeBufferPointer { scorer.scores($0.baseAddress!, into: o.baseAddress!) } }
        out.removeLast(out.count - n)
        return out
    }

    /// The `k` best items for vector `x` by scoring every item, leaving out `excluding` and items `allowed` rejects.
    public func recommendExact(_ x: [Float], k: Int, excluding: Set<Int32> = [], allowed: ((Int32) -> Bool)? = nil) -> [(item: Int32, score: Float)] {
        let n = model.itemFactors.rows
        var top = TopK(k: k)
        let scores = UnsafeMutablePointer<Float>.allocate(capacity: (n + 15) / 16 * 16)
        defer { scores.deallocate() }
        x.withUnsafeBufferPointer { scorer.scores($0.baseAddress!, into: scores) }
        for i in 0..<n {
            let score = scores[i]
            if score <= top.threshold { continue }
            let item = Int32(i)
            if excluding.contains(item) { continue }
            if let allowed, !allowed(item) { continue }
            top.offer(score, item)
        }
        return top.sorted().map { ($0.index, $0.score) }
    }

    /// Items most like `item` by cosine similarity of their factors.
    public func similarItems(to item: Int32, k: Int) -> [(item: Int32, similarity: Float)] {
        let y = model.itemFactors, s = y.stride
        let i0 = Int(item)
        guard i0 >= 0, i0 < y.rows, itemNorms[i0] > 0 else { return [] }
        var top = TopK(k: k)
        y.storage.withUnsafeBufferPointer { ys in
            let base = ys.baseAddress!
            for j in 0..<y.rows where j != i0 && itemNorms[j] > 0 {
                top.offer(VectorKernels.dot(base + j * s, base + i0 * s, s) / (itemNorms[j] * itemNorms[i0]), Int32(j))
            }
        }
        return top.sorted().map { ($0.index, $0.score) }
    }

    /// Why `item` scores as it does for a person with `history`: each history item's contribution,
    /// from the person's own linear system (x = A⁻¹ Σ c_i y_i, so y_j·x = Σ c_i (A⁻¹y_j)·y_i).
    /// Returns the score and the contributions, largest first; they sum to the score.
    /// The reference computation, in Double, one item at a time: serving uses `PersonalSystem`,
    /// which factors once per request, and its tests check it against this.
    public func explain(history: [(item: Int32, value: Float)], item: Int32) -> (score: Float, contributions: [(item: Int32, contribution: Float)]) {
        let y = model.itemFactors, s = y.stride, k = y.factors
        let a = UnsafeMutablePointer<Float>.allocate(capacity: s * s)
        defer { a.deallocate() }
        var w = [Float](repeating: 0, count: s)
        itemGram.withUnsafeBufferPointer { a.update(from: $0.baseAddress!, count: s * s) }
        y.storage.withUnsafeBufferPointer { ys in
            let base = ys.baseAddress!
            for h in history {
                let c = model.configuration.confidence(of: h.value)
                let yi = base + Int(h.item) * s
                for j in 0..<k where yi[j] != 0 { VectorKernels.axpy((c - 1) * yi[j], yi, a + j * s, s) }
            }
            w.withUnsafeMutableBufferPointer { wp in
                DenseCholesky.solve(a: a, b: base + Int(item) * s, into: wp.baseAddress!, n: k, stride: s)
            }
        }
        var contributions: [(item: Int32, contribution: Float)] = []
        y.storage.withUnsafeBufferPointer { ys in
            w.withUnsafeBufferPointer { wp in
                for h in history {
                    let c = model.configuration.confidence(of: h.value)
                    contributions.append((h.item, c * VectorKernels.dot(wp.baseAddress!, ys.baseAddress! + Int(h.item) * s, s)))
                }
            }
        }
        contributions.sort { $0.contribution > $1.contribution }
        return (contributions.reduce(0) { $0 + $1.contribution }, contributions)
    }
}
