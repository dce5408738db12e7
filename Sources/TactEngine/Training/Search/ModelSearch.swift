import Foundation
import TactCore
import TactRecommend

/// The search `tact train`, `tact evaluate` and the server run when no model flags are given: it holds
/// out a validation part of the training data (per person, stratified, seeded), scores candidates of
/// every algorithm on it by NDCG@k, and names the best — never one below popularity, which is itself a
/// candidate. The caller trains the winner on all the data.
///
/// Within the time budget, in order: popularity and today's default iALS (the two any winner must
/// beat), the previous winner (the warm start), EASE over a log-spaced range of λ refined around the
/// best (catalogs up to `easeItems`), item-kNN at a few log-drawn neighbour counts and each weighting,
/// iALS by successive halving over log-drawn factors, regularization and alpha, cheap rungs cutting
/// iterations short, and a blend of the best EASE and the best iALS at a few weights. A deadline stops
/// the search between trainings; what finished is compared.
///
/// The outcome depends on how far the budget reaches, so the same data may give another winner on a
/// slower machine; with a budget that lets every phase finish it depends only on the data and the seed.
public struct ModelSearch: Sendable {
    /// Seconds for the whole search; nil: five trainings of today's default iALS on all the data, and
    /// at least the floor (`minimumBudget`, scaled by `floorEvents`).
    public var budget: Double?
    /// The floor matters on small data, where five trainings take a second or two and compare too little.
    public var minimumBudget: Double = 15
    /// Up to this many events in the fitted part the floor is `minimumBudget`; past it the floor shrinks in
    /// proportion, so that on a large store five trainings set the budget (issue 25: under 5× one fit).
    public var floorEvents = 250_000
    public var seed: UInt64
    public var threads: Int
    public var k = 10
    public var validationFraction = 0.25
    /// Validation is scored on at most this many people (drawn by the seed), so large stores stay cheap.
    public var maximumValidationPeople = 5_000
    /// EASE is tried only up to this many items: past it one inversion costs more than the whole budget.
    public var easeItems = 5_000
    /// The previous winner, tried early so a re-search starts from it.
    public var start: SearchCandidate?
    /// iALS settings drawn for successive halving; nil: as many as the budget affords (6 to 40).
    public var alsDraws: Int?
    /// iALS iterations on each rung of successive halving; the last is a full training.
    public var alsRungs = [3, 7, 15]
    /// The log-scaled ranges iALS settings are drawn from.
    public var alsFactors = 32...256
    public var alsRegularization = 0.01...500.0
    public var alsAlpha = 0.1...50.0

    public init(budget: Double? = nil, seed: UInt64 = 1, threads: Int = 0, start: SearchCandidate? = nil) {
        self.budget = budget
        self.seed = seed
        self.threads = threads
        self.start = start
    }

    /// Searches on `matrix` (people × items of strengths); `note` hears a line per trial.
    public func run(_ matrix: SparseMatrix, note: (String) -> Void = { _ in }) -> ModelSearchResult {
        let started = Date()
        let part = ValidationPart(matrix, fraction: validationFraction, maximumPeople: maximumValidationPeople, seed: seed, k: k, threads: threads)
        let people = part.people
        var reference = ALSConfiguration()
        reference.seed = seed
        reference.threads = threads
        guard people > 0 else {
            return ModelSearchResult(
                trials: [], winner: SearchCandidate(.als(reference)), winnerScore: nil, popularityScore: nil, defaultScore: nil,
                validationPeople: 0, validationCells: 0, k: k, budgetSeconds: budget ?? 0, seconds: Date().timeIntervalSince(started),
                stoppedByDeadline: false,
                reason: "too little data to hold out a validation part (no person has two items), so nothing was compared: today's default iALS")
        }
        var trials: [ModelSearchTrial] = []
        /// The candidate's validation score; a candidate that cannot train (EASE past its item limit, say) is
        /// noted and scores nothing, so one bad setting never ends the search.
        func score(_ candidate: SearchCandidate, complete: Bool = true) -> Double {
            let ndcg: Double, seconds: Double
            do {
                (ndcg, seconds) = try part.score(candidate.spec)
            } catch {
                note("\(candidate.label): not trained: \(error)")
                return -.infinity
            }
            let trial = ModelSearchTrial(candidate: candidate, score: ndcg, seconds: seconds, complete: complete)
            trials.append(trial)
            note(
                "\(candidate.label)\(complete ? "" : " (\(trial.candidate.settings["iterations"] ?? "?") iterations)"): NDCG@\(k) \(String(format: "%.4f", ndcg)) in \(String(format: "%.2f", trial.seconds)) s"
            )
            return ndcg
        }

        let popularity = score(SearchCandidate(.popular))
        let defaultScore = score(SearchCandidate(.als(reference)))
        let referenceSeconds = trials.last!.seconds
        let floor = minimumBudget * min(1, Double(floorEvents) / Double(max(1, part.fit.nonZeros)))
        let budgetSeconds = budget ?? max(floor, 5 * referenceSeconds / (1 - validationFraction))
        let deadline = started.addingTimeInterval(budgetSeconds)
        var stopped = false
        func timeLeft(until end: Date) -> Bool {
            if Date() < end { return true }
            if end >= deadline { stopped = true }
            return false
        }
        var rng = SplitMix64(seed: seed &+ 0x5EA2C4)

        if let start, !start.spec.isPrivate, !trials.contains(where: { $0.candidate.spec == start.spec }), timeLeft(until: deadline) {
            _ = score(start)
        }

        // EASE: λ over a half-decade-spaced range from the middle out, then halfway (in log) to each neighbour of the best.
        if matrix.columns <= easeItems {
            let phaseEnd = started.addingTimeInterval(budgetSeconds * 0.35)
            func ease(_ lambda: Double) -> SearchCandidate {
                SearchCandidate(ModelSpec(EASEConfiguration(regularization: Float(lambda), threads: threads)))
            }
            var tried: [(lambda: Double, score: Double)] = []
            for lambda in [300.0, 1000, 100, 3000, 30, 10_000] where timeLeft(until: phaseEnd) || tried.isEmpty && timeLeft(until: deadline) {
                tried.append((lambda, score(ease(lambda))))
            }
            if let best = tried.max(by: { $0.score < $1.score }) {
                for lambda in [best.lambda / 1.78, best.lambda * 1.78].map(SearchCandidate.significant) where timeLeft(until: phaseEnd) {
                    _ = score(ease(lambda))
                }
            }
        }

        // Item-kNN: each weighting once, neighbours log-drawn.
        let knnEnd = started.addingTimeInterval(budgetSeconds * 0.45)
        for weighting in ItemKNNConfiguration.Weighting.allCases where timeLeft(until: knnEnd) {
            var c = ItemKNNConfiguration()
            c.weighting = weighting
            c.neighbours = LogScale.draw(10...400, step: 5, using: &rng)
            c.threads = threads
            _ = score(SearchCandidate(.knn(c)))
        }

        // iALS: successive halving over log-drawn settings, fewer iterations on the cheap rungs; time is kept
        // back for the blend's three trainings of EASE and iALS (at about twice the default's cost).
        let easeSeconds = trials.filter { $0.candidate.algorithm == "ease" }.map(\.seconds).max()
        let alsDeadline = deadline.addingTimeInterval(-(easeSeconds.map { 3 * ($0 + 2 * referenceSeconds) } ?? 0))
        if timeLeft(until: alsDeadline) {
            let perIteration = referenceSeconds / Double(max(1, reference.iterations))
            let remaining = alsDeadline.timeIntervalSinceNow
            // A draw costs about its rungs' iterations at 1.5× the default's factors, shared by the halving.
            let affordable = Int(remaining / (perIteration * 1.5 * (Double(alsRungs[0]) + Double(alsRungs.dropFirst().reduce(0, +)) / 3)))
            let draws = alsDraws ?? min(40, max(6, affordable))
            var candidates: [SearchCandidate] = []
            if let start, start.spec.training is ALSConfiguration { candidates.append(start) }
            for _ in 0..<draws {
                var c = reference
                c.factors = LogScale.draw(alsFactors, step: alsFactors.lowerBound >= 16 ? 16 : 1, using: &rng)
                c.regularization = Float(SearchCandidate.significant(LogScale.draw(alsRegularization, using: &rng)))
                c.alpha = Float(SearchCandidate.significant(LogScale.draw(alsAlpha, using: &rng)))
                candidates.append(SearchCandidate(.als(c)))
            }
            let rungs = alsRungs
            let outcome = SuccessiveHalving<SearchCandidate>(rungs: rungs.count).run(candidates, deadline: alsDeadline) { candidate, rung in
                let last = rung == rungs.count - 1
                return score(candidate.atIterations(rungs[rung]), complete: last && rungs[rung] == reference.iterations)
            }
            if outcome.stoppedByDeadline { stopped = true }
        }

        // A blend of the best EASE and the best complete iALS, at a few weights, when both did well.
        func best(_ algorithm: String) -> ModelSearchTrial? {
            trials.filter { $0.complete && $0.candidate.algorithm == algorithm }.max { $0.score < $1.score }
        }
        if let ease = best("ease")?.candidate.spec.training as? EASEConfiguration, let als = best("als")?.candidate.spec.training as? ALSConfiguration {
            for weight: Float in [0.5, 0.3, 0.7] where timeLeft(until: deadline) {
                _ = score(SearchCandidate(ModelSpec(BlendConfiguration(ease: ease, als: als, easeWeight: weight))))
            }
        }

        let complete = trials.filter(\.complete)
        // Ties keep the earlier trial: popularity first, then today's default.
        var best = complete[0]
        for t in complete.dropFirst() where t.score > best.score { best = t }
        let winner = best.candidate.atIterations(reference.iterations)
        let reason: String
        if winner.algorithm == "popular" {
            reason = "no model beat popularity on validation (NDCG@\(k) \(Self.figure(popularity)) on \(people) people), so popularity is served"
        } else {
            reason =
                "it scored NDCG@\(k) \(Self.figure(best.score)) on validation (\(people) people), the best of \(complete.count) complete trials in \(String(format: "%.1f", Date().timeIntervalSince(started))) s; popularity \(Self.figure(popularity)), today's default iALS \(Self.figure(defaultScore))\(stopped ? "; the budget ran out before every phase finished" : "")"
        }
        return ModelSearchResult(
            trials: trials, winner: winner, winnerScore: best.score, popularityScore: popularity, defaultScore: defaultScore,
            validationPeople: people, validationCells: part.validation.nonZeros, k: k, budgetSeconds: budgetSeconds,
            seconds: Date().timeIntervalSince(started), stoppedByDeadline: stopped, reason: reason)
    }

    private static func figure(_ value: Double) -> String { String(format: "%.4f", value) }
}
