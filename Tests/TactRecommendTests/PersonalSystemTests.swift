import TactCore
import Testing

@testable import TactRecommend

@Suite struct PersonalSystemTests {
    @Test("one factored system gives the same user vector and reasons as fold-in and explain")
    func agreesWithFoldInAndExplain() {
        let m = tasteMatrix()
        let model = ImplicitALS.train(m, configuration: configuration(.cholesky, iterations: 5))
        let serving = ALSServing(model: model)
        let history: [(item: Int32, value: Float)] = [(2, 3), (6, 1), (10, 2), (14, 1)]
        let system = PersonalSystem(serving: serving, history: history)
        let folded = serving.foldIn(history: history)
        #expect(maxDifference(system.userVector[...], folded[...]) < 1e-3)
        let items: [Int32] = Array(0..<20)  // more than one 16-lane batch
        let batch = system.explain(items: items)
        #expect(batch.count == items.count)
        for (n, item) in items.enumerated() {
            let fast = batch[n], slow = serving.explain(history: history, item: item)
            #expect(abs(fast.score - slow.score) < 1e-3, "item \(item)")
            let a = fast.contributions.sorted { $0.item < $1.item }, b = slow.contributions.sorted { $0.item < $1.item }
            #expect(a.map(\.item) == b.map(\.item))
            for (x, y) in zip(a, b) { #expect(abs(x.contribution - y.contribution) < 1e-3) }
            // The contributions sum to the item's score under the user vector.
            let direct = (0..<model.itemFactors.factors).reduce(Float(0)) {
                $0 + system.userVector[$1] * model.itemFactors.storage[Int(item) * model.itemFactors.stride + $1]
            }
            #expect(abs(fast.score - direct) < 1e-3)
        }
    }
}
