import Foundation
import TactCore
import TactPrivacy

/// One DP-ALS iteration's release: the noisy sufficient statistics of the item solve. Each person's
/// clipped vector u becomes integer contributions — the upper triangle of S_m·u uᵀ and S_v·u, rounded
/// — whose norms are checked after rounding, so the integer sums have exactly the ℓ₂ sensitivity the
/// noise is calibrated to. Entries are summed in Int64 and get exact discrete Gaussian noise.
struct NoisyItemStatistics {
    let k: Int
    /// Entries of an upper triangle: k(k + 1)/2.
    let triangle: Int
    /// Grid units per unit of the real matrix and vector statistics.
    let matrixScale: Double, vectorScale: Double
    /// σ of the per-item matrix noise, in grid units.
    let matrixSigma: Double
    /// σ of the per-item vector noise, in grid units.
    let vectorSigma: Double
    let coveredItems: [Int]
    /// G = Σ u uᵀ over everyone (upper triangle), noisy.
    private(set) var gram: [Int64]
    /// Whether the per-item matrices A_j are released (matrixShare > 0); without them every item is
    /// solved with G alone, v_j = (G + λI)⁻¹ (1 + α) b_j, which spends the whole budget on G and the b_j.
    let perItemMatrices: Bool
    /// Per covered item: A_j (upper triangle, when released) then b_j, noisy.
    private(set) var perItem: [Int64]
    /// The three Gaussian mechanisms, for the accountant.
    let events: [PrivacyEvent]

    init(
        users: FactorMatrix, itemUsers: SparseMatrix, coveredItems: [Int], configuration c: PrivateALSConfiguration, rho: Double,
        source: PrivateALS.NoiseSource, iteration: Int, threads: Int
    ) {
        let grid = PrivateALSGrid(factors: users.factors, configuration: c, rho: rho)
        let (gram, perItem) = Self.exactSums(
            users: users, itemUsers: itemUsers, coveredItems: coveredItems, grid: grid,
            gamma: c.userNormBound, threads: threads)
        self.init(grid: grid, gram: gram, perItem: perItem, coveredItems: coveredItems, source: source, iteration: iteration, threads: threads)
    }

    /// The statistics before noise: G's upper triangle over everyone, and per covered item A_j (when
    /// released) then b_j, each the sum of the people's integer contributions. One person moves G by at
    /// most S_m·Γ² and the b_j together by at most √c·S_v·Γ (ℓ₂), the sensitivities the noise assumes.
    static func exactSums(
        users: FactorMatrix, itemUsers: SparseMatrix, coveredItems: [Int], grid: PrivateALSGrid, gamma: Double,
        threads: Int
    ) -> (gram: [Int64], perItem: [Int64]) {
        let k = users.factors
        let contributions = IntegerContributions(users: users, gamma: gamma, matrixScale: grid.matrixScale, vectorScale: grid.vectorScale, threads: threads)
        var gram = [Int64](repeating: 0, count: grid.triangle)
        for u in 0..<users.rows { contributions.addMatrix(of: u, to: &gram) }
        let width = grid.itemWidth
        var perItem = [Int64](repeating: 0, count: coveredItems.count * width)
        perItem.withUnsafeMutableBufferPointer { buffer in
            let out = SharedPointer(base: buffer.baseAddress!)
            parallelChunks(count: coveredItems.count, chunkSize: PrivateALS.itemsPerChunk, threads: threads) { range in
                for position in range {
                    let statistics = out.base + position * width
                    let item = coveredItems[position]
                    for n in itemUsers.rowStart[item]..<itemUsers.rowStart[item + 1] {
                        contributions.add(of: Int(itemUsers.indices[n]), matrix: grid.perItemMatrices ? statistics : nil, vector: statistics + (width - k))
                    }
                }
            }
        }
        return (gram, perItem)
    }

    /// The release from the exact sums (of everyone's integer contributions, however they were summed:
    /// here, or by secure aggregation from devices): exact discrete Gaussian noise on each entry.
    init(grid: PrivateALSGrid, gram: [Int64], perItem: [Int64], coveredItems: [Int], source: PrivateALS.NoiseSource, iteration: Int, threads: Int) {
        var gram = gram, perItem = perItem
        PrivateALS.addNoise(&gram, variance: grid.gramVariance, source: source, stream: UInt64(iteration) << 40)
        let width = grid.itemWidth, matrixWidth = width - grid.k
        perItem.withUnsafeMutableBufferPointer { buffer in
            let out = SharedPointer(base: buffer.baseAddress!)
            parallelChunks(count: coveredItems.count, chunkSize: PrivateALS.itemsPerChunk, threads: threads) { range in
                var g = PrivateALS.generator(source, stream: UInt64(iteration) << 40 | UInt64(range.lowerBound / PrivateALS.itemsPerChunk + 1))
                for position in range {
                    let statistics = out.base + position * width
                    for e in 0..<matrixWidth { statistics[e] += ExactSampler.discreteGaussian(variance: grid.matrixVariance, using: &g) }
                    for e in matrixWidth..<width { statistics[e] += ExactSampler.discreteGaussian(variance: grid.vectorVariance, using: &g) }
                }
            }
        }
        self.k = grid.k
        self.triangle = grid.triangle
        self.matrixScale = grid.matrixScale
        self.vectorScale = grid.vectorScale
        self.matrixSigma = grid.matrixVariance.doubleValue.squareRoot()
        self.vectorSigma = grid.vectorVariance.doubleValue.squareRoot()
        self.coveredItems = coveredItems
        self.perItemMatrices = grid.perItemMatrices
        self.gram = gram
        self.perItem = perItem
        events = grid.events
    }

    /// v_j = (G + α A_j + λ_j I)⁻¹ (1 + α) b_j for every covered item, from the noisy statistics only.
    /// λ_j is λ plus the matrix noise's spectral scale (σ·√k, in real units) times `noiseRegularization`,
    /// doubled until the system is positive definite.
    func solveItems(into items: inout FactorMatrix, alpha: Double, regularization: Double, noiseRegularization: Double, threads: Int) {
        let k = self.k, s = items.stride, perItemMatrices = self.perItemMatrices
        let matrixWidth = perItemMatrices ? triangle : 0, width = matrixWidth + k
        let coveredItems = self.coveredItems, matrixScale = self.matrixScale, vectorScale = self.vectorScale, vectorSigma = self.vectorSigma
        let noiseScale = perItemMatrices ? noiseRegularization * alpha * matrixSigma / matrixScale * Double(k).squareRoot() : 0
        let base = regularization + noiseScale
        let gramReal = gram.map { Double($0) / matrixScale }
        items.storage.withUnsafeMutableBufferPointer { buffer in
            let out = SharedPointer(base: buffer.baseAddress!)
            perItem.withUnsafeBufferPointer { statisticsBuffer in
                let statistics = SharedPointer(base: UnsafeMutablePointer(mutating: statisticsBuffer.baseAddress!))
                parallelChunks(count: coveredItems.count, chunkSize: 64, threads: threads) { range in
                    var system = [Double](repeating: 0, count: k * k), rhs = [Double](repeating: 0, count: k)
                    for position in range {
                        let item = coveredItems[position], row = statistics.base + position * width
                        var e = 0
                        for i in 0..<k {
                            for j in i..<k {
                                let value = gramReal[e] + (perItemMatrices ? alpha * Double(row[e]) / matrixScale : 0)
                                system[i * k + j] = value
                                system[j * k + i] = value
                                e += 1
                            }
                        }
                        // Positive-part James–Stein shrinkage of b_j toward 0: the noise's expected share of
                        // ‖b_j‖² is (k − 2)σ²/‖b_j‖², so rare items, where noise dominates, are damped.
                        // Post-processing of the release: it costs no privacy.
                        var squared = 0.0
                        for i in 0..<k { let x = Double(row[matrixWidth + i]); squared += x * x }
                        let shrink = squared > 0 ? max(0, 1 - Double(max(k - 2, 1)) * vectorSigma * vectorSigma / squared) : 0
                        for i in 0..<k { rhs[i] = shrink * (1 + alpha) * Double(row[matrixWidth + i]) / vectorScale }
                        var lambda = base
                        var solution = SmallCholesky.solve(system, rhs, k: k, ridge: lambda)
                        while solution == nil { lambda *= 2; solution = SmallCholesky.solve(system, rhs, k: k, ridge: lambda) }
                        let v = out.base + item * s
                        for f in 0..<k { v[f] = Float(solution![f]) }
                    }
                }
            }
        }
    }
}

/// The data-independent part of one DP-ALS iteration's release: the integer grid each person's
/// contribution is rounded to, the exact sensitivities on it, and the noise variances that spend the
/// iteration's ρ. Devices and the server compute the same one from the configuration.
public struct PrivateALSGrid: Sendable, Equatable {
    public let k: Int
    /// Entries of an upper triangle: k(k + 1)/2.
    public let triangle: Int
    /// Grid units per unit of the real matrix and vector statistics.
    public let matrixScale: Double, vectorScale: Double
    public let perItemMatrices: Bool
    let gramVariance: ExactRational, matrixVariance: ExactRational, vectorVariance: ExactRational
    /// The Gaussian mechanisms of one iteration, for the accountant.
    public let events: [PrivacyEvent]

    /// Entries per covered item: the upper triangle of A_j (when released) then b_j.
    public var itemWidth: Int { (perItemMatrices ? triangle : 0) + k }

    /// The finest grids (units per Γ² and per Γ) whose noise σ, in grid units, stays within the exact sampler's range.
    static func scales(factors k: Int, configuration c: PrivateALSConfiguration, rho: Double) -> (matrix: Double, vector: Double) {
        let gamma = c.userNormBound, bound = Double(c.maxItemsPerPerson)
        let shares = c.gramShare + c.matrixShare + c.vectorShare
        let rhoGram = rho * c.gramShare / shares, rhoMatrix = rho * c.matrixShare / shares, rhoVector = rho * c.vectorShare / shares
        let matrixScale = min(
            PrivateALS.finestScale / (gamma * gamma),
            PrivateALS.largestSigma * (2 * rhoGram).squareRoot() / (gamma * gamma),
            c.matrixShare > 0 ? PrivateALS.largestSigma * (2 * rhoMatrix).squareRoot() / (bound.squareRoot() * gamma * gamma) : .infinity
        ).rounded(.down)
        let vectorScale = min(
            PrivateALS.finestScale / gamma,
            PrivateALS.largestSigma * (2 * rhoVector).squareRoot() / (bound.squareRoot() * gamma)
        ).rounded(.down)
        return (matrixScale, vectorScale)
    }

    /// Why a grid cannot be built for this ρ per iteration (too little budget for the exact sampler's
    /// range, or a grid too coarse for the factors), or nil.
    static func problem(factors k: Int, configuration c: PrivateALSConfiguration, rho: Double) -> String? {
        let (matrixScale, vectorScale) = scales(factors: k, configuration: c, rho: rho)
        guard matrixScale >= 1, vectorScale >= 1 else {
            return "ε = \(c.epsilon) over \(c.iterations) iterations leaves too little budget per iteration for DP-ALS's noise; raise ε or lower the iterations"
        }
        let gamma = c.userNormBound, triangle = Double(k * (k + 1) / 2)
        let radius = min((gamma * gamma - triangle.squareRoot() / (2 * matrixScale)).squareRoot(), gamma - Double(k).squareRoot() / (2 * vectorScale))
        guard radius > 0 else { return "ε = \(c.epsilon) makes DP-ALS's grid too coarse for \(k) factors; raise ε or use fewer factors" }
        return nil
    }

    public init(factors k: Int, configuration c: PrivateALSConfiguration, rho: Double) {
        let triangle = k * (k + 1) / 2
        let gamma = c.userNormBound, bound = Double(c.maxItemsPerPerson)
        let shares = c.gramShare + c.matrixShare + c.vectorShare
        let rhoGram = rho * c.gramShare / shares, rhoMatrix = rho * c.matrixShare / shares, rhoVector = rho * c.vectorShare / shares
        let perItemMatrices = c.matrixShare > 0
        let (matrixScale, vectorScale) = Self.scales(factors: k, configuration: c, rho: rho)
        precondition(Self.problem(factors: k, configuration: c, rho: rho) == nil, Self.problem(factors: k, configuration: c, rho: rho) ?? "")
        // Sensitivities in grid units, and the variances that give each mechanism its share of ρ.
        let gramSensitivity = matrixScale * gamma * gamma
        let matrixSensitivity = bound.squareRoot() * matrixScale * gamma * gamma
        let vectorSensitivity = bound.squareRoot() * vectorScale * gamma
        gramVariance = PrivateALS.exactVariance(gramSensitivity * gramSensitivity / (2 * rhoGram))
        matrixVariance = perItemMatrices ? PrivateALS.exactVariance(matrixSensitivity * matrixSensitivity / (2 * rhoMatrix)) : ExactRational(0)
        vectorVariance = PrivateALS.exactVariance(vectorSensitivity * vectorSensitivity / (2 * rhoVector))
        self.k = k
        self.triangle = triangle
        self.matrixScale = matrixScale
        self.vectorScale = vectorScale
        self.perItemMatrices = perItemMatrices
        events =
            [
                .gaussian(sigma: gramVariance.doubleValue.squareRoot(), sensitivity: gramSensitivity),
                .gaussian(sigma: vectorVariance.doubleValue.squareRoot(), sensitivity: vectorSensitivity)
            ] + (perItemMatrices ? [.gaussian(sigma: matrixVariance.doubleValue.squareRoot(), sensitivity: matrixSensitivity)] : [])
    }
}

/// Each person's contributions on the integer grid: the upper triangle of round(S_m·u uᵀ) and
/// round(S_v·u), with u clipped so that, after rounding, ‖matrix‖ ≤ S_m·Γ² and ‖vector‖ ≤ S_v·Γ.
struct IntegerContributions: @unchecked Sendable {
    let triangle: Int, k: Int
    private(set) var matrices: [Int32]
    private(set) var vectors: [Int32]

    init(users: FactorMatrix, gamma: Double, matrixScale: Double, vectorScale: Double, threads: Int) {
        let k = users.factors, triangle = k * (k + 1) / 2, s = users.stride
        // Rounding moves the matrix by at most √(k(k+1)/2)/2 units and the vector by √k/2: clip a little inside Γ.
        let radius = min(
            (gamma * gamma - Double(triangle).squareRoot() / (2 * matrixScale)).squareRoot(),
            gamma - Double(k).squareRoot() / (2 * vectorScale))
        precondition(radius > 0, "the grid is too coarse for this many factors")
        let matrixLimit = Int64((matrixScale * gamma * gamma * matrixScale * gamma * gamma).rounded(.down))
        let vectorLimit = Int64((vectorScale * gamma * vectorScale * gamma).rounded(.down))
        var matrices = [Int32](repeating: 0, count: users.rows * triangle)
        var vectors = [Int32](repeating: 0, count: users.rows * k)
        matrices.withUnsafeMutableBufferPointer { mb in
            vectors.withUnsafeMutableBufferPointer { vb in
                let mp = SharedPointer(base: mb.baseAddress!), vp = SharedPointer(base: vb.baseAddress!)
                users.storage.withUnsafeBufferPointer { ub in
                    let up = SharedPointer(base: UnsafeMutablePointer(mutating: ub.baseAddress!))
                    parallelChunks(count: users.rows, chunkSize: 1024, threads: threads) { range in
                        var u = [Double](repeating: 0, count: k)
                        for person in range {
                            var norm = 0.0
                            for f in 0..<k { u[f] = Double(up.base[person * s + f]); norm += u[f] * u[f] }
                            norm = norm.squareRoot()
                            var factor = norm > radius ? radius / norm : 1
                            let m = mp.base + person * triangle, v = vp.base + person * k
                            // The norms are checked after rounding; shrinking more is a safety net that the radius makes unreachable.
                            while true {
                                var matrixNorm: Int64 = 0, vectorNorm: Int64 = 0, e = 0
                                for i in 0..<k {
                                    for j in i..<k {
                                        let value = Int32((matrixScale * factor * factor * u[i] * u[j]).rounded())
                                        m[e] = value
                                        matrixNorm += Int64(value) * Int64(value)
                                        e += 1
                                    }
                                    let value = Int32((vectorScale * factor * u[i]).rounded())
                                    v[i] = value
                                    vectorNorm += Int64(value) * Int64(value)
                                }
                                if matrixNorm <= matrixLimit && vectorNorm <= vectorLimit { break }
                                factor *= 0.99
                            }
                        }
                    }
                }
            }
        }
        self.k = k
        self.triangle = triangle
        self.matrices = matrices
        self.vectors = vectors
    }

    func addMatrix(of person: Int, to sum: inout [Int64]) {
        for e in 0..<triangle { sum[e] += Int64(matrices[person * triangle + e]) }
    }

    func add(of person: Int, matrix: UnsafeMutablePointer<Int64>?, vector: UnsafeMutablePointer<Int64>) {
        if let matrix {
            matrices.withUnsafeBufferPointer { m in
                let base = person * triangle
                for e in 0..<triangle { matrix[e] += Int64(m[base + e]) }
            }
        }
        vectors.withUnsafeBufferPointer { v in
            let base = person * k
            for e in 0..<k { vector[e] += Int64(v[base + e]) }
        }
    }

    /// The squared norms of one person's integer contributions (for tests of the bound).
    func squaredNorms(of person: Int) -> (matrix: Int64, vector: Int64) {
        var m: Int64 = 0, v: Int64 = 0
        for e in 0..<triangle { let x = Int64(matrices[person * triangle + e]); m += x * x }
        for e in 0..<k { let x = Int64(vectors[person * k + e]); v += x * x }
        return (m, v)
    }
}

/// Cholesky solve of (A + ridge·I) x = b for a small dense symmetric k×k A, in Double.
enum SmallCholesky {
    /// Nil if A + ridge·I is not positive definite.
    static func solve(_ a: [Double], _ b: [Double], k: Int, ridge: Double) -> [Double]? {
        var l = [Double](repeating: 0, count: k * k)
        for j in 0..<k {
            var d = a[j * k + j] + ridge
            for m in 0..<j { d -= l[j * k + m] * l[j * k + m] }
            guard d > 0, d.isFinite else { return nil }
            let ljj = d.squareRoot()
            l[j * k + j] = ljj
            for i in (j + 1)..<max(k, j + 1) {
                var v = a[i * k + j]
                for m in 0..<j { v -= l[i * k + m] * l[j * k + m] }
                l[i * k + j] = v / ljj
            }
        }
        var z = [Double](repeating: 0, count: k)
        for i in 0..<k {
            var v = b[i]
            for m in 0..<i { v -= l[i * k + m] * z[m] }
            z[i] = v / l[i * k + i]
        }
        var x = [Double](repeating: 0, count: k)
        for i in stride(from: k - 1, through: 0, by: -1) {
            var v = z[i]
            for m in (i + 1)..<max(k, i + 1) { v -= l[m * k + i] * x[m] }
            x[i] = v / l[i * k + i]
        }
        return x
    }
}
