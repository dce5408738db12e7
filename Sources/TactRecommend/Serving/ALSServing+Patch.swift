/// Serving a model whose item factors changed in a few rows (an erasure re-solved the items a person
/// touched) without redoing the expensive parts: the item Gram, the norms, the blocked scorer and the
/// index are patched in those rows only.
extension ALSServing {
    /// Serves `model`, which must equal this server's model except in the user factors (any), the
    /// regularization, and the item rows `changed`; the caller vouches for that, it is not checked.
    /// Answers as `ALSServing(model: model)` would, up to rounding in the item Gram, except for the index:
    ///
    /// - YᵀY + λI: the new rows' outer products are added and the old ones taken away, summed apart
    ///   from the Gram and then added once (O(changed · k²)); a λ change moves the diagonal.
    /// - norms and the blocked scorer: the changed rows are rewritten, so whole-catalog scores are bit
    ///   for bit those of a fresh server.
    /// - the index, if there is one, is patched with `InnerProductIndex.replacingItems(_:in:)`: items keep
    ///   their clusters (those now longer than the index's sphere move to a new one), scores stay exact;
    ///   only which items a search reaches can differ from a fresh index's, which would have clustered
    ///   anew. A server without an index gets none.
    ///
    /// Repeats in `changed` are ignored.
    public func replacingItemFactors(with model: ALSModel, changed: [Int32]) -> ALSServing {
        let old = self.model.itemFactors, y = model.itemFactors
        precondition(y.rows == old.rows && y.factors == old.factors, "the item factors must keep their shape")
        let changed = Set(changed).sorted()
        precondition(changed.allSatisfy { $0 >= 0 && Int($0) < y.rows }, "changed items must exist")
        let s = y.stride, k = y.factors

        var gram = itemGram
        var norms = itemNorms
        var blocks = scorer.blocks
        if !changed.isEmpty {
            var delta = [Float](repeating: 0, count: s * s)
            y.storage.withUnsafeBufferPointer { ys in
                old.storage.withUnsafeBufferPointer { os in
                    delta.withUnsafeMutableBufferPointer { dp in
                        blocks.withUnsafeMutableBufferPointer { bp in
                            for item in changed {
                                let i = Int(item)
                                let new = ys.baseAddress! + i * s, before = os.baseAddress! + i * s
                                for j in 0..<k { VectorKernels.axpy2(new[j], new, -before[j], before, dp.baseAddress! + j * s, s) }
                                norms[i] = VectorKernels.dot(new, new, s).squareRoot()
                                let lane = bp.baseAddress! + (i / 16) * k * 16 + i % 16
                                for f in 0..<k { lane[f * 16] = new[f] }
                            }
                        }
                    }
                }
            }
            for n in 0..<(s * s) { gram[n] += delta[n] }
        }
        let regularizationChange = model.configuration.regularization - self.model.configuration.regularization
        if regularizationChange != 0 {
            for j in 0..<k { gram[j * s + j] += regularizationChange }
        }
        return ALSServing(
            model: model, itemGram: gram, itemNorms: norms,
            scorer: ItemScorer(items: scorer.items, factors: scorer.factors, blocks: blocks),
            index: index?.replacingItems(changed, in: y))
    }

    /// A server from parts already computed.
    private init(model: ALSModel, itemGram: [Float], itemNorms: [Float], scorer: ItemScorer, index: InnerProductIndex?) {
        self.model = model
        self.itemGram = itemGram
        self.itemNorms = itemNorms
        self.scorer = scorer
        self.index = index
    }
}

extension ItemScorer {
    /// A scorer over blocks already packed.
    init(items: Int, factors: Int, blocks: [Float]) {
        self.items = items
        self.factors = factors
        self.blocks = blocks
    }
}

extension ALSServing {
    /// The server for `model`, whose item factors have this server's shape and differ in some rows
    /// only (a saved model patched by an erasure): the differing rows are found by comparison and
    /// replaced as `replacingItemFactors(with:changed:)` does. Returns them too.
    public func replacingItemFactors(with model: ALSModel) -> (serving: ALSServing, changed: [Int32]) {
        let y = model.itemFactors, old = self.model.itemFactors, s = y.stride
        var changed: [Int32] = []
        for i in 0..<y.rows where y.storage[(i * s)..<((i + 1) * s)] != old.storage[(i * s)..<((i + 1) * s)] { changed.append(Int32(i)) }
        return (replacingItemFactors(with: model, changed: changed), changed)
    }
}
