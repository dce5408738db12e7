import ArgumentParser
import TactEngine
import TactRecommend

/// The model flags `train`, `evaluate` and `tune` share.
struct ModelOptions: ParsableArguments {
    enum Algorithm: String, ExpressibleByArgument, CaseIterable {
        case als, knn, ease, popular
        case dpALS = "dp-als", dpPopular = "dp-popular"
    }
    enum SolverName: String, ExpressibleByArgument, CaseIterable { case cg, cholesky }
    enum ConfidenceName: String, ExpressibleByArgument, CaseIterable { case linear, log }

    @Option(help: "The model: als (implicit-feedback matrix factorization), knn (item neighbours), ease (closed-form item-item, catalogs up to 10,000 items), popular, or the differentially private dp-als and dp-popular (see the DP flags).") var algorithm: Algorithm = .als
    @Option(help: "Item-kNN weighting: cosine, tfidf or bm25.") var weighting: ItemKNNConfiguration.Weighting = .cosine
    @Option(help: "Item-kNN neighbours kept per item.") var neighbours = 20
    @Option(name: .customLong("ease-regularization"), help: "EASE: the L2 penalty λ on the item-item weights (a few hundred on MovieLens-sized data).") var easeRegularization: Float = 500
    @Option(help: "Latent factors per user and item.") var factors = 64
    @Option(help: "Training iterations.") var iterations = 15
    @Option(help: "L2 regularization (λ).") var regularization: Float = 0.01
    @Option(help: "Confidence scale: c = 1 + alpha·value (or 1 + alpha·log(1 + value/epsilon)).") var alpha: Float = 1
    @Option(help: "Confidence: linear or log.") var confidence: ConfidenceName = .linear
    @Option(help: "Epsilon of the log confidence.") var epsilon: Float = 1
    @Option(help: "Solver: cg (conjugate gradient, fast) or cholesky (exact).") var solver: SolverName = .cg
    @Option(help: "Conjugate-gradient steps per solve.") var cgSteps = 3
    @Option(help: "Worker threads (0: one per processor).") var threads = 0
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @OptionGroup(title: "Differential privacy (dp-als, dp-popular, evaluate --privacy)") var privateModel: PrivateModelOptions

    func validate() throws {
        guard (1...1024).contains(factors) else { throw ValidationError("--factors must be between 1 and 1024") }
        guard (0...1000).contains(iterations) else { throw ValidationError("--iterations must be between 0 and 1000") }
        guard regularization >= 0, regularization.isFinite else { throw ValidationError("--regularization must be zero or positive") }
        guard alpha >= 0, alpha.isFinite else { throw ValidationError("--alpha must be zero or positive") }
        guard epsilon > 0, epsilon.isFinite else { throw ValidationError("--epsilon must be positive") }
        guard (1...100).contains(cgSteps) else { throw ValidationError("--cg-steps must be between 1 and 100") }
        guard (1...10_000).contains(neighbours) else { throw ValidationError("--neighbours must be between 1 and 10000") }
        guard easeRegularization > 0, easeRegularization.isFinite else { throw ValidationError("--ease-regularization must be positive") }
        guard threads >= 0 else { throw ValidationError("--threads must not be negative") }
    }

    /// The model to train; the DP settings are checked here.
    func resolvedSpec() throws -> ModelSpec {
        switch algorithm {
        case .als: return .als(configuration)
        case .knn: return .knn(knnConfiguration)
        case .ease: return ModelSpec(EASEConfiguration(regularization: easeRegularization, threads: threads))
        case .popular: return .popular
        case .dpALS: return .privateALS(try privateModel.configuration(epsilon: privateModel.dpEpsilon, seed: seed, threads: threads))
        case .dpPopular:
            guard privateModel.dpEpsilon > 0, privateModel.dpEpsilon.isFinite else { throw ValidationError("--dp-epsilon must be positive") }
            let training = PrivatePopularityTraining(maxItemsPerPerson: privateModel.maxItemsPerPerson, epsilon: privateModel.dpEpsilon, delta: privateModel.delta)
            if let problem = training.problem { throw ValidationError("DP popularity settings: \(problem)") }
            return ModelSpec(training)
        }
    }

    /// Iterations the progress line counts.
    var iterationCount: Int { algorithm == .dpALS ? privateModel.iterations : iterations }

    /// The settings, for people and for the model file.
    var parameters: [String: String] {
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
        if algorithm == .ease { return ["regularization": "\(easeRegularization)"] }
        guard algorithm == .als else { return [:] }
        return ["factors": "\(factors)", "iterations": "\(iterations)", "regularization": "\(regularization)",
                "alpha": "\(alpha)", "confidence": confidence.rawValue, "solver": solver.rawValue, "cg_steps": "\(cgSteps)", "seed": "\(seed)"]
    }

    var knnConfiguration: ItemKNNConfiguration {
        var c = ItemKNNConfiguration()
        c.weighting = weighting
        c.neighbours = neighbours
        c.threads = threads
        return c
    }

    var configuration: ALSConfiguration {
        var c = ALSConfiguration()
        c.factors = factors
        c.iterations = iterations
        c.regularization = regularization
        c.alpha = alpha
        c.confidence = confidence == .linear ? .linear : .logarithmic(epsilon: epsilon)
        c.solver = solver == .cg ? .conjugateGradient(steps: cgSteps) : .cholesky
        c.threads = threads
        c.seed = seed
        return c
    }
}

extension ItemKNNConfiguration.Weighting: ExpressibleByArgument {}
