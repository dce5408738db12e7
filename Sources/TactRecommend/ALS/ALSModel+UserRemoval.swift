/// Erasure: a model without some people. Their user vectors are dropped and the items they touched
/// are solved again, exactly, from the remaining people alone, so nothing of theirs stays in the
/// factors (a full retrain, which also moves everyone else, is a separate job).
extension ALSModel {
    /// This model without the user rows `removed`, and with the item rows `items` solved again exactly.
    ///
    /// The user factors keep every other row, in order (row numbers above a removed row shift down).
    /// With those fixed, each listed item i becomes the exact least-squares solution
    ///
    ///     y_i = (XᵀX + λI + Σ_{u ∈ U_i} (c_ui − 1) x_u x_uᵀ)⁻¹ Σ_{u ∈ U_i} c_ui x_u
    ///
    /// where X holds the remaining users only, U_i are the remaining users with a positive strength for
    /// item i and c_ui = `configuration.confidence(of:)` that strength: the item half-step of ALS with
    /// the Cholesky solver. An item no remaining user touched gets the zero vector (b = 0), and so does an
    /// item whose system is singular (λ = 0 with too few people), so that it keeps nothing of theirs.
    /// Every other item row is left bit for bit as it was.
    ///
    /// - Parameters:
    ///   - removed: original user rows to drop; rows outside the model are ignored.
    ///   - items: item rows to solve again, normally every item a removed person touched; rows outside
    ///     the model and repeats are ignored.
    ///   - strengths: the current interaction strengths of one item, by original user row. Removed
    ///     users, rows outside the model (people who arrived after training) and strengths ≤ 0 are
    ///     skipped; a user listed twice counts twice. Called once per item, on the calling thread.
    /// - Returns: the new model (same configuration and loss history) and the item rows solved again, ascending.
    ///
    /// XᵀX is computed afresh from the remaining rows (`GramMatrix.compute`, O(users · k²), a few ms for
    /// 20,000 users) rather than as the full Gram minus the removed people's outer products: the model
    /// keeps no user Gram to start from, so subtracting would cost the same full pass plus the removed
    /// rows, and a fresh sum cannot cancel badly when the removed people weigh much in it.
    /// The items are solved in parallel on `configuration.threads` workers; the result does not depend on their number.
    public func removingUsers(
        _ removed: Set<Int>, resolving items: [Int32],
        strengths: (Int32) -> [(user: Int, value: Float)]
    ) -> (model: ALSModel, resolved: [Int32]) {
        let k = userFactors.factors, s = userFactors.stride, userCount = users

        // Original row → remaining row (−1: removed).
        var remainingRow = [Int32](repeating: -1, count: userCount)
        var kept = 0
        for u in 0..<userCount where !removed.contains(u) {
            remainingRow[u] = Int32(kept)
            kept += 1
        }
        var x = FactorMatrix(rows: kept, factors: k)
        if kept == userCount {
            x = userFactors
        } else if kept > 0 {
            x.storage.withUnsafeMutableBufferPointer { xs in
                userFactors.storage.withUnsafeBufferPointer { us in
                    for u in 0..<userCount where remainingRow[u] >= 0 {
                        (xs.baseAddress! + Int(remainingRow[u]) * s).update(from: us.baseAddress! + u * s, count: s)
                    }
                }
            }
        }

        var y = itemFactors
        let itemCount = self.items
        let resolved = Set(items.filter { $0 >= 0 && Int($0) < itemCount }).sorted()
        guard !resolved.isEmpty else {
            return (ALSModel(configuration: configuration, userFactors: x, itemFactors: y, loss: loss), [])
        }

        // Each item's remaining users (as remaining rows) and confidences, gathered here in CSR form:
        // `strengths` need not be safe to call from the workers.
        var starts = [0]
        starts.reserveCapacity(resolved.count + 1)
        var rows: [Int32] = [], confidences: [Float] = []
        for item in resolved {
            for entry in strengths(item) where entry.user >= 0 && entry.user < userCount && entry.value > 0 {
                let r = remainingRow[entry.user]
                if r >= 0 {
                    rows.append(r)
                    confidences.append(configuration.confidence(of: entry.value))
                }
            }
            starts.append(rows.count)
        }

        // Zero every listed row first: what a solve leaves there (no users, or a failed factorization) is then zero.
        for item in resolved {
            for j in 0..<s { y.storage[Int(item) * s + j] = 0 }
        }
        if kept > 0 && !rows.isEmpty {
            let threads = resolvedThreads(configuration.threads)
            let gram = GramMatrix.compute(x, regularization: configuration.regularization, threads: threads)
            // Largest systems first, so the workers finish together under power-law popularity.
            let order = resolved.indices.sorted { a, b in
                let ca = starts[a + 1] - starts[a], cb = starts[b + 1] - starts[b]
                return ca != cb ? ca > cb : a < b
            }
            y.storage.withUnsafeMutableBufferPointer { ys in
                x.storage.withUnsafeBufferPointer { xs in
                    gram.withUnsafeBufferPointer { gs in
                        rows.withUnsafeBufferPointer { rp in
                            confidences.withUnsafeBufferPointer { cp in
                                let yp = SharedPointer(base: ys.baseAddress!)
                                let xp = SharedPointer(base: UnsafeMutablePointer(mutating: xs.baseAddress!))
                                let gp = SharedPointer(base: UnsafeMutablePointer(mutating: gs.baseAddress!))
                                let rowp = SharedPointer(base: UnsafeMutablePointer(mutating: rp.baseAddress!))
                                let confp = SharedPointer(base: UnsafeMutablePointer(mutating: cp.baseAddress!))
                                parallelChunks(count: order.count, chunkSize: 2, threads: threads) { [starts] range in
                                    let scratch = UnsafeMutablePointer<Float>.allocate(capacity: s * s + s)
                                    defer { scratch.deallocate() }
                                    for n in range {
                                        let slot = order[n], start = starts[slot], count = starts[slot + 1] - start
                                        guard count > 0 else { continue }
                                        ExactRowSolve.solve(
                                            into: yp.base + Int(resolved[slot]) * s, rows: rowp.base + start,
                                            confidences: confp.base + start, count: count, factors: xp.base,
                                            gram: gp.base, stride: s, k: k, scratch: scratch)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return (ALSModel(configuration: configuration, userFactors: x, itemFactors: y, loss: loss), resolved)
    }
}
