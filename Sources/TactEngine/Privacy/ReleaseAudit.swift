import Foundation
import TactCore
import TactPrivacy
import TactRecommend

/// An empirical audit of a differentially private release: it runs the release many times on a
/// dataset and on its neighbour without one person, and bounds ε from below by how well a test tells
/// the two apart (`DistinguishingTest`). A bound above the claimed ε is a proof, at the stated
/// confidence, that the release does not keep its promise; one below it is no proof that it does.
///
/// Each run draws fresh randomness (noise and contribution key) from its own seed, so an audit repeats
/// exactly. An audit is a measurement for the people who build and run Tact, not a release: on real
/// data its numbers come from the data, so publish them with that in mind.
public enum ReleaseAudit {
    /// The releases it can run.
    public enum Release: String, Sendable, CaseIterable {
        case popular, trending
        case privateALS = "dp-als"
    }

    /// Which person the neighbouring dataset leaves out.
    public enum Neighbour: String, Sendable, CaseIterable {
        /// The first row, whose removal shifts the position of everyone after it.
        case first
        /// The last row.
        case last
        /// The person with the most items (the first such), who loses the most to the contribution bound.
        case largest
    }

    /// One release's outputs for one run: `run` seeds its randomness.
    public typealias Mechanism = @Sendable (_ data: SparseMatrix, _ timestamps: [Int64]?, _ run: UInt64) -> [Double]

    public struct Settings: Sendable {
        public var epsilon = 1.0
        public var delta = 1e-6
        public var maxItemsPerPerson = 10
        /// Runs on each side (half fit the test, half are held out).
        public var runs = 1000
        public var confidence = 0.95
        public var seed: UInt64 = 1
        /// Trending: the moment recency is measured from (must not come from the data).
        public var now: Int64 = 0
        public var threads = 0
        public init() {}
    }

    public struct Finding: Sendable {
        public var release: String
        public var neighbour: Neighbour
        public var claimedEpsilon: Double
        public var delta: Double
        public var result: DistinguishingTest.Result
        /// Whether the audit found no contradiction: its lower bound is at most the claimed ε.
        public var consistent: Bool { result.epsilonLowerBound <= claimedEpsilon }
    }

    /// The mechanism behind `release` with these settings, as the system releases it (the same bounding and noise).
    public static func mechanism(_ release: Release, settings s: Settings) throws -> Mechanism {
        guard s.epsilon > 0, s.epsilon.isFinite, s.delta > 0, s.delta < 1 else {
            throw EngineError.invalidArgument("ε must be positive and δ between 0 and 1")
        }
        guard s.maxItemsPerPerson >= 1 else { throw EngineError.invalidArgument("--max-items-per-person must be at least 1") }
        let rho = PrivacyAccountant.zCDPBudget(epsilon: s.epsilon, delta: s.delta)
        let c = s.maxItemsPerPerson
        switch release {
        case .popular, .trending:
            let trend = release == .trending ? PrivatePopularity.Trend(halfLifeDays: 7, now: s.now) : nil
            // The same refusal the release itself makes, before any run: a budget the exact sampler cannot draw for.
            if let problem = PrivatePopularity.problem(maxItemsPerPerson: c, noise: .gaussian(rho: rho), trending: trend != nil) {
                throw EngineError.invalidArgument("\(release.rawValue) cannot be audited with these settings: \(problem)")
            }
            return { data, timestamps, run in
                var noise = ChaCha20Generator(seed: run ^ 0x4E6F_6973_6500_0000)
                let r = PrivatePopularity(
                    data, timestamps: timestamps, trend: trend, maxItemsPerPerson: c, noise: .gaussian(rho: rho),
                    key: ContributionKey(seed: run), using: &noise)
                return r.scores
            }
        case .privateALS:
            var configuration = PrivateALSConfiguration()
            configuration.epsilon = s.epsilon
            configuration.delta = s.delta
            configuration.maxItemsPerPerson = c
            configuration.factors = 4
            configuration.iterations = 1
            configuration.threads = 1
            if let problem = configuration.problem { throw EngineError.invalidArgument("dp-als cannot be audited with these settings: \(problem)") }
            let fixed = configuration
            return { data, _, run in
                let result = PrivateALS.train(data, configuration: fixed, noise: .seeded(run))
                return result.model.itemFactors.storage.map(Double.init)
            }
        }
    }

    /// Runs `mechanism` `settings.runs` times on `data` and on `data` without the `neighbour` person, and
    /// bounds ε from below. `progress` hears the runs done so far (of 2 × runs).
    public static func audit(
        _ data: SparseMatrix, timestamps: [Int64]? = nil, mechanism: Mechanism, name: String, neighbour: Neighbour,
        settings s: Settings, progress: (@Sendable (Int) -> Void)? = nil
    ) throws -> Finding {
        guard data.rows >= 2 else { throw EngineError.invalidArgument("an audit needs at least two people in the data") }
        guard s.runs >= 8 else { throw EngineError.invalidArgument("--runs must be at least 8") }
        let person = row(of: neighbour, in: data)
        let without = removing(row: person, from: data, timestamps: timestamps)
        let outputs = runBoth(s, with: (data, timestamps), without: without, mechanism: mechanism, progress: progress)
        let result = DistinguishingTest.lowerBound(with: outputs.with, without: outputs.without, delta: s.delta, confidence: s.confidence)
        return Finding(release: name, neighbour: neighbour, claimedEpsilon: s.epsilon, delta: s.delta, result: result)
    }

    /// The row the neighbour leaves out.
    static func row(of neighbour: Neighbour, in data: SparseMatrix) -> Int {
        switch neighbour {
        case .first: 0
        case .last: data.rows - 1
        case .largest: (0..<data.rows).max { data.count(ofRow: $0) < data.count(ofRow: $1) || (data.count(ofRow: $0) == data.count(ofRow: $1) && $0 > $1) }!
        }
    }

    /// `data` without one row (the columns stay as they are), with its timestamps.
    public static func removing(row r: Int, from data: SparseMatrix, timestamps: [Int64]?) -> (SparseMatrix, [Int64]?) {
        let lower = data.rowStart[r], upper = data.rowStart[r + 1], removed = upper - lower
        var rowStart = Array(data.rowStart[0...r])
        rowStart += data.rowStart[(r + 2)...].map { $0 - removed }
        let indices = Array(data.indices[..<lower] + data.indices[upper...])
        let values = Array(data.values[..<lower] + data.values[upper...])
        let matrix = SparseMatrix(rows: data.rows - 1, columns: data.columns, rowStart: rowStart, indices: indices, values: values)
        return (matrix, timestamps.map { Array($0[..<lower] + $0[upper...]) })
    }

    /// Every run on both sides, in parallel, each with a seed of its own.
    static func runBoth(
        _ s: Settings, with: (SparseMatrix, [Int64]?), without: (SparseMatrix, [Int64]?), mechanism: Mechanism,
        progress: (@Sendable (Int) -> Void)?
    ) -> (with: [[Double]], without: [[Double]]) {
        let total = 2 * s.runs
        let slots = OutputSlots(count: total)
        let workers = max(1, s.threads > 0 ? s.threads : ProcessInfo.processInfo.activeProcessorCount)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for n in stride(from: worker, to: total, by: workers) {
                let side = n < s.runs ? with : without
                let seed = s.seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(n)
                slots.set(n, mechanism(side.0, side.1, seed))
                if let progress { progress(slots.finished()) }
            }
        }
        let all = slots.values()
        return (Array(all[..<s.runs]), Array(all[s.runs...]))
    }

    /// A random dataset for audits: `people` rows with 1 to 3c items each (the first person over the
    /// bound), items drawn with a popularity skew, timestamps over 30 days before `now`.
    public static func randomDataset(people: Int, items: Int, maxItemsPerPerson c: Int, now: Int64, seed: UInt64) -> (SparseMatrix, [Int64]) {
        var random = SplitMix64(seed: seed)
        var rowStart = [0], indices: [Int32] = [], times: [Int64] = []
        for p in 0..<people {
            let count = min(items, p == 0 ? 3 * c : 1 + Int(random.next(below: UInt64(3 * c))))
            var chosen = Set<Int32>()
            while chosen.count < count {
                // Squaring a uniform skews the choice toward the first items.
                let u = random.unit()
                chosen.insert(Int32(Double(items) * u * u))
            }
            for item in chosen.sorted() {
                indices.append(item)
                times.append(now - Int64(random.next(below: 30 * 86_400)))
            }
            rowStart.append(indices.count)
        }
        let matrix = SparseMatrix(
            rows: people, columns: items, rowStart: rowStart, indices: indices,
            values: [Float](repeating: 1, count: indices.count))
        return (matrix, times)
    }
}

/// Lets concurrent runs write disjoint slots.
private final class OutputSlots: @unchecked Sendable {
    private var outputs: [[Double]]
    private var done = 0
    private let lock = NSLock()
    init(count: Int) { outputs = Array(repeating: [], count: count) }
    func set(_ n: Int, _ value: [Double]) {
        lock.withLock {
            outputs[n] = value; done += 1
        }
    }
    func finished() -> Int { lock.withLock { done } }
    func values() -> [[Double]] { lock.withLock { outputs } }
}
