/// How to train an implicit-feedback ALS model (Hu, Koren & Volinsky 2008).
public struct ALSConfiguration: Sendable, Equatable, Codable {
    /// How an interaction's value becomes a confidence.
    public enum Confidence: Sendable, Equatable, Codable {
        /// c = 1 + alpha · value
        case linear
        /// c = 1 + alpha · log(1 + value / epsilon)
        case logarithmic(epsilon: Float)
    }

    /// How each person's (and item's) k×k system is solved.
    public enum Solver: Sendable, Equatable, Codable {
        /// A few conjugate-gradient steps warm-started from the previous vector (as `implicit` does).
        case conjugateGradient(steps: Int)
        /// The exact solution, by Cholesky factorization.
        case cholesky
    }

    public var factors = 64
    public var iterations = 15
    public var regularization: Float = 0.01
    public var alpha: Float = 1
    public var confidence = Confidence.linear
    public var solver = Solver.conjugateGradient(steps: 3)
    public var seed: UInt64 = 1
    /// Worker threads; 0 means one per active processor.
    public var threads = 0

    public init() {}

    /// The confidence of an interaction value.
    @inlinable
    public func confidence(of value: Float) -> Float {
        switch confidence {
        case .linear: return 1 + alpha * value
        case .logarithmic(let epsilon): return 1 + alpha * Float(log1pf(value / epsilon))
        }
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
