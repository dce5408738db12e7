import ArgumentParser
import TactEngine
import TactRecommend

/// The model flags `train`, `evaluate` and `tune` share.
struct ModelOptions: ParsableArguments {
    enum Algorithm: String, ExpressibleByArgument, CaseIterable {
        case als, knn, ease, blend, popular
        case dpALS = "dp-als", dpPopular = "dp-popular"
    }
    enum SolverName: String, ExpressibleByArgument, CaseIterable { case cg, cholesky }
    enum ConfidenceName: String, ExpressibleByArgument, CaseIterable { case linear, log }

    @Option(
        help:
            "The model: als (implicit-feedback matrix factorization), knn (item neighbours), ease (closed-form item-item, catalogs up to 10,000 items), popular, or the differentially private dp-als and dp-popular (see the DP flags). Without this or any other model flag, a search on a validation split picks the algorithm and its settings (--budget)."
    ) var algorithm: Algorithm?
    @Option(help: "Item-kNN weighting: cosine, tfidf or bm25 (default cosine).") var weighting: ItemKNNConfiguration.Weighting?
    @Option(help: "Item-kNN neighbours kept per item (default 20).") var neighbours: Int?
    @Option(
        name: .customLong("ease-regularization"), help: "EASE: the L2 penalty λ on the item-item weights (default 500; a few hundred on MovieLens-sized data).")
    var easeRegularization: Float?
    @Option(name: .customLong("ease-weight"), help: "Blend: EASE's share of the blended score, 0 to 1 (default 0.5); iALS has the rest, with the iALS flags.")
    var easeWeight: Float?
    @Option(help: "Latent factors per user and item (default 64).") var factors: Int?
    @Option(help: "Training iterations (default 15).") var iterations: Int?
    @Option(help: "L2 regularization λ (default 0.01).") var regularization: Float?
    @Option(help: "Confidence scale: c = 1 + alpha·value (or 1 + alpha·log(1 + value/epsilon)) (default 1).") var alpha: Float?
    @Option(help: "Confidence: linear or log (default linear).") var confidence: ConfidenceName?
    @Option(help: "Epsilon of the log confidence (default 1).") var epsilon: Float?
    @Option(help: "Solver: cg (conjugate gradient, fast) or cholesky (exact) (default cg).") var solver: SolverName?
    @Option(help: "Conjugate-gradient steps per solve (default 3).") var cgSteps: Int?
    @Option(help: "Seconds the model search may take when no model flag is given (default: five trainings of the default iALS, at least 15).") var budget:
        Double?
    @Option(help: "Worker threads (0: one per processor).") var threads = 0
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @OptionGroup(title: "Differential privacy (dp-als, dp-popular, evaluate --privacy)") var privateModel: PrivateModelOptions

    func validate() throws {
        guard (1...1024).contains(factorCount) else { throw ValidationError("--factors must be between 1 and 1024") }
        guard (0...1000).contains(iterationsGiven) else { throw ValidationError("--iterations must be between 0 and 1000") }
        guard regularizationGiven >= 0, regularizationGiven.isFinite else { throw ValidationError("--regularization must be zero or positive") }
        guard alphaGiven >= 0, alphaGiven.isFinite else { throw ValidationError("--alpha must be zero or positive") }
        guard epsilon ?? 1 > 0, (epsilon ?? 1).isFinite else { throw ValidationError("--epsilon must be positive") }
        guard (1...100).contains(cgSteps ?? 3) else { throw ValidationError("--cg-steps must be between 1 and 100") }
        guard (1...10_000).contains(neighbours ?? 20) else { throw ValidationError("--neighbours must be between 1 and 10000") }
        guard easeLambda > 0, easeLambda.isFinite else { throw ValidationError("--ease-regularization must be positive") }
        guard (0...1).contains(easeWeight ?? 0.5) else { throw ValidationError("--ease-weight must be from 0 to 1") }
        try OptionChecks.threads(threads)
        if let budget { guard budget > 0, budget.isFinite, budget <= 86_400 else { throw ValidationError("--budget must be between 0 and 86400 seconds") } }
        if budget != nil, !searches {
            throw ValidationError("--budget bounds the model search, which runs only when no model flag (--algorithm, --factors, ...) is given")
        }
    }

    /// Whether no model flag was given, so a search picks the model (`ModelSearch`).
    var searches: Bool {
        algorithm == nil && weighting == nil && neighbours == nil && easeRegularization == nil && easeWeight == nil && factors == nil && iterations == nil
            && regularization == nil && alpha == nil && confidence == nil && epsilon == nil && solver == nil && cgSteps == nil
    }

    /// The algorithm the flags name: als when only iALS flags (or none) are given.
    var chosen: Algorithm {
        if let algorithm { return algorithm }
        if weighting != nil || neighbours != nil { return .knn }
        if easeWeight != nil { return .blend }
        if easeRegularization != nil { return .ease }
        return .als
    }

    /// The search the flags ask for (`searches`), warm-started from `start`.
    func search(start: SearchCandidate? = nil) -> ModelSearch {
        ModelSearch(budget: budget, seed: seed, threads: threads, start: start)
    }

    private var factorCount: Int { factors ?? 64 }
    private var iterationsGiven: Int { iterations ?? 15 }
    private var regularizationGiven: Float { regularization ?? 0.01 }
    private var alphaGiven: Float { alpha ?? 1 }
    private var easeLambda: Float { easeRegularization ?? 500 }

    /// The model to train; the DP settings are checked here.
    func resolvedSpec() throws -> ModelSpec {
        switch chosen {
        case .als: return .als(configuration)
        case .knn: return .knn(knnConfiguration)
        case .ease: return ModelSpec(EASEConfiguration(regularization: easeLambda, threads: threads))
        case .blend:
            return ModelSpec(
                BlendConfiguration(ease: EASEConfiguration(regularization: easeLambda, threads: threads), als: configuration, easeWeight: easeWeight ?? 0.5))
        case .popular: return .popular
        case .dpALS: return .privateALS(try privateModel.configuration(epsilon: privateModel.dpEpsilon, seed: seed, threads: threads))
        case .dpPopular:
            guard privateModel.dpEpsilon > 0, privateModel.dpEpsilon.isFinite else { throw ValidationError("--dp-epsilon must be positive") }
            let training = PrivatePopularityTraining(
                maxItemsPerPerson: privateModel.maxItemsPerPerson, epsilon: privateModel.dpEpsilon, delta: privateModel.delta)
            if let problem = training.problem { throw ValidationError("DP popularity settings: \(problem)") }
            return ModelSpec(training)
        }
    }

    /// Iterations the progress line counts.
    var iterationCount: Int { chosen == .dpALS ? privateModel.iterations : iterationsGiven }

    /// The settings, for people and for the model file.
    var parameters: [String: String] {
        let algorithm = chosen
        if algorithm == .dpALS || algorithm == .dpPopular {
            var p = ["epsilon": "\(privateModel.dpEpsilon)", "delta": "\(privateModel.delta)", "max_items_per_person": "\(privateModel.maxItemsPerPerson)"]
            if algorithm == .dpALS {
                p["factors"] = "\(privateModel.factors)"
                p["iterations"] = "\(privateModel.iterations)"
                p["regularization"] = "\(privateModel.regularization)"
                p["alpha"] = "\(privateModel.alpha)"
            }
            return p
        }
        if algorithm == .ease { return ["regularization": "\(easeLambda)"] }
        if algorithm == .blend {
            var p = alsParameters
            p["ease_regularization"] = "\(easeLambda)"
            p["ease_weight"] = "\(easeWeight ?? 0.5)"
            return p
        }
        if algorithm == .knn { return ["weighting": knnConfiguration.weighting.rawValue, "neighbours": "\(knnConfiguration.neighbours)"] }
        guard algorithm == .als else { return [:] }
        return alsParameters
    }

    private var alsParameters: [String: String] {
        [
            "factors": "\(factorCount)", "iterations": "\(iterationsGiven)", "regularization": "\(regularizationGiven)",
            "alpha": "\(alphaGiven)", "confidence": (confidence ?? .linear).rawValue, "solver": (solver ?? .cg).rawValue,
            "cg_steps": "\(cgSteps ?? 3)", "seed": "\(seed)"
        ]
    }

    var knnConfiguration: ItemKNNConfiguration {
        var c = ItemKNNConfiguration()
        c.weighting = weighting ?? .cosine
        c.neighbours = neighbours ?? 20
        c.threads = threads
        return c
    }

    var configuration: ALSConfiguration {
        var c = ALSConfiguration()
        c.factors = factorCount
        c.iterations = iterationsGiven
        c.regularization = regularizationGiven
        c.alpha = alphaGiven
        c.confidence = (confidence ?? .linear) == .linear ? .linear : .logarithmic(epsilon: epsilon ?? 1)
        c.solver = (solver ?? .cg) == .cg ? .conjugateGradient(steps: cgSteps ?? 3) : .cholesky
        c.threads = threads
        c.seed = seed
        return c
    }
}

extension ItemKNNConfiguration.Weighting: ExpressibleByArgument {}
