import TactCore
import TactPrivacy

/// DP-ALS (`PrivateALS`) split between devices and a server. The server holds the item factors; each
/// device holds one person's history and vector. What crosses is integer contributions on the DP-ALS
/// grid, summed by secure aggregation. The server adds the same exact discrete Gaussian noise
/// `PrivateALS` adds, so the release and its guarantee are those of centralized DP-ALS, with no
/// history ever gathered:
///
/// 0. each device picks at most c of its items (`boundedHistory`) and sends a 0/1 count message;
///    the noisy sums decide which items the model covers (`coverage`);
/// 1. each iteration, each device solves its own vector against the current item factors, and sends
///    the upper triangle of round(S_m·u uᵀ) and round(S_v·u) in the slot of each of its covered items
///    (`statisticsMessage`); the server noises the sums and solves every covered item (`solveItems`).
public struct FederatedPrivateALS: Sendable {
    public let configuration: PrivateALSConfiguration
    public let countRho: Double, iterationRho: Double
    public let grid: PrivateALSGrid

    /// The most devices one sum can hold: each sends entries of magnitude at most 2¹², and the sum
    /// must stay below 2³¹ in Z_2^32.
    public static let maximumDevices = Int(Int32.max) / Int(PrivateALS.finestScale)

    public init(_ c: PrivateALSConfiguration) {
        precondition(c.problem == nil, c.problem ?? "")
        configuration = c
        let rho = PrivacyAccountant.zCDPBudget(epsilon: c.epsilon, delta: c.delta)
        countRho = rho * c.countShare
        iterationRho = (rho - countRho) / Double(c.iterations)
        grid = PrivateALSGrid(factors: c.factors, configuration: c, rho: iterationRho)
    }

    /// The items a device lets into the statistics: all of them, or a uniform sample of c (on the device).
    public func boundedHistory(_ items: [Int32], using generator: inout some RandomNumberGenerator) -> [Int32] {
        let unique = Array(Set(items)).sorted()
        guard unique.count > configuration.maxItemsPerPerson else { return unique }
        var order = unique
        for i in 0..<configuration.maxItemsPerPerson { order.swapAt(i, i + Int(generator.next() % UInt64(order.count - i))) }
        return order.prefix(configuration.maxItemsPerPerson).sorted()
    }

    /// The count message: 1 at each bounded item, as 32-bit words.
    public func countMessage(bounded: [Int32], items: Int) -> [UInt32] {
        var words = [UInt32](repeating: 0, count: items)
        for i in bounded { words[Int(i)] = 1 }
        return words
    }

    /// The server's coverage from the summed counts: noisy counts (ℓ₂ sensitivity √c), and the items
    /// whose noisy count clears the threshold. Without a count share every item is covered.
    public func coverage(countSum: [UInt32], source: PrivateALS.NoiseSource) -> (covered: [Bool], noisyCounts: [Int64]?, events: [PrivacyEvent]) {
        guard countRho > 0 else { return (Array(repeating: true, count: countSum.count), nil, []) }
        let bound = Double(configuration.maxItemsPerPerson)
        let variance = PrivateALS.exactVariance(bound / (2 * countRho))
        var counts = countSum.map { Int64(Int32(bitPattern: $0)) }
        PrivateALS.addNoise(&counts, variance: variance, source: source, stream: 0)
        let threshold = configuration.vocabularyThreshold * variance.doubleValue.squareRoot()
        return (counts.map { Double($0) >= threshold }, counts, [.gaussian(sigma: variance.doubleValue.squareRoot(), sensitivity: bound.squareRoot())])
    }

    /// The starting item factors, as `PrivateALS` starts them: small random values on covered items,
    /// the first factor warm-started from the noisy counts.
    public func initialItems(items: Int, covered: [Bool], noisyCounts: [Int64]?) -> FactorMatrix {
        var m = FactorMatrix.random(rows: items, factors: configuration.factors, seed: configuration.seed &+ 1)
        for j in 0..<items where !covered[j] { PrivateALS.zeroRow(&m, j) }
        if let noisyCounts, let largest = noisyCounts.max(), largest > 0 {
            for j in 0..<items where covered[j] { m.storage[j * m.stride] = Float(max(0, Double(noisyCounts[j])) / Double(largest)) }
        }
        return m
    }

    /// The configuration a device solves its own vector with: confidence 1 + α on each of its items, exact.
    public var userSolve: ALSConfiguration {
        var a = ALSConfiguration()
        a.factors = configuration.factors
        a.iterations = configuration.iterations
        a.regularization = configuration.regularization
        a.alpha = configuration.alpha
        a.solver = .cholesky
        a.seed = configuration.seed
        return a
    }

    /// Words of a statistics message: the Gram triangle, then `itemWidth` per covered item.
    public func statisticsLength(coveredItems: Int) -> Int { grid.triangle + coveredItems * grid.itemWidth }

    /// A device's statistics message. `slots[item]` is the covered item's position (nil: not covered).
    public func statisticsMessage(userVector: [Float], bounded: [Int32], slots: [Int?]) -> [UInt32] {
        let k = grid.k, covered = slots.reduce(0) { $0 + ($1 == nil ? 0 : 1) }
        var one = FactorMatrix(rows: 1, factors: k)
        for f in 0..<k { one.storage[f] = userVector[f] }
        let contributions = IntegerContributions(
            users: one, gamma: configuration.userNormBound, matrixScale: grid.matrixScale,
            vectorScale: grid.vectorScale, threads: 1)
        var gram = [Int64](repeating: 0, count: grid.triangle)
        contributions.addMatrix(of: 0, to: &gram)
        var words = [UInt32](repeating: 0, count: statisticsLength(coveredItems: covered))
        for e in 0..<grid.triangle { words[e] = UInt32(bitPattern: Int32(gram[e])) }
        let width = grid.itemWidth
        var item = [Int64](repeating: 0, count: width)
        for i in bounded {
            guard let slot = slots[Int(i)] else { continue }
            for e in 0..<width { item[e] = 0 }
            item.withUnsafeMutableBufferPointer { p in
                contributions.add(of: 0, matrix: grid.perItemMatrices ? p.baseAddress! : nil, vector: p.baseAddress! + (width - k))
            }
            for e in 0..<width { words[grid.triangle + slot * width + e] = UInt32(bitPattern: Int32(item[e])) }
        }
        return words
    }

    /// The server's item step from the summed statistics: noise, then every covered item solved.
    /// Returns the iteration's mechanisms for the accountant.
    public func solveItems(
        statisticsSum: [UInt32], coveredItems: [Int], iteration: Int, source: PrivateALS.NoiseSource,
        into items: inout FactorMatrix, threads: Int
    ) -> [PrivacyEvent] {
        let values = statisticsSum.map { Int64(Int32(bitPattern: $0)) }
        let statistics = NoisyItemStatistics(
            grid: grid, gram: Array(values[0..<grid.triangle]), perItem: Array(values[grid.triangle...]),
            coveredItems: coveredItems, source: source, iteration: iteration, threads: threads)
        statistics.solveItems(
            into: &items, alpha: Double(configuration.alpha), regularization: Double(configuration.regularization),
            noiseRegularization: configuration.noiseRegularization, threads: threads)
        return statistics.events
    }
}
