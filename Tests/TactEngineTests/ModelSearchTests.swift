import Foundation
import TactCore
import TactRecommend
import TactTestSupport
import Testing

@testable import TactEngine

@Suite("Model search")
struct ModelSearchTests {
    /// 160 people in four taste groups, each taking 7 of its group's 10 items: every item is about as
    /// popular as any other, so popularity can only guess, and a personal model can do much better.
    static func groups(seed: UInt64 = 3) -> SparseMatrix {
        var rng = SplitMix64(seed: seed)
        var triplets: [(row: Int32, column: Int32, value: Float)] = []
        for person in 0..<160 {
            let group = person % 4
            for item in Array(0..<10).shuffled(using: &rng).prefix(7) { triplets.append((Int32(person), Int32(group * 10 + item), 1)) }
        }
        return SparseMatrix(rows: 160, columns: 40, triplets: triplets)
    }

    /// Everyone draws from one skewed distribution, independently: nothing personal to learn, so no
    /// model should beat popularity by much, and an untrained one does far worse.
    static func shared(seed: UInt64 = 4) -> SparseMatrix {
        var rng = SplitMix64(seed: seed)
        var triplets: [(row: Int32, column: Int32, value: Float)] = []
        for person in 0..<200 {
            var taken = Set<Int32>()
            while taken.count < 6 { taken.insert(Int32(Double(30) * pow(Double(rng.next() % 10_000) / 10_000, 3))) }
            for item in taken { triplets.append((Int32(person), item, 1)) }
        }
        return SparseMatrix(rows: 200, columns: 30, triplets: triplets)
    }

    /// A search small enough for a debug build: few iALS draws of few factors.
    static func search(seed: UInt64, draws: Int, start: SearchCandidate? = nil) -> ModelSearch {
        var search = ModelSearch(budget: 600, seed: seed, threads: 2, start: start)
        search.alsDraws = draws
        search.alsFactors = 4...16
        return search
    }

    @Test("every algorithm is tried, the winner is scored on held-out validation and beats popularity where there is taste to learn")
    func findsTaste() throws {
        let search = Self.search(seed: 7, draws: 6)
        let result = search.run(Self.groups())
        let algorithms = Set(result.trials.map(\.candidate.algorithm))
        #expect(algorithms == ["popular", "als", "ease", "knn", "blend"])
        #expect(result.trials.filter { $0.candidate.algorithm == "blend" }.count == 3)
        #expect(result.trials.filter { $0.candidate.algorithm == "knn" }.count == ItemKNNConfiguration.Weighting.allCases.count)
        // Successive halving: six draws on the first rung, fewer on each next one, only the last complete.
        let alsDraws = result.trials.filter { $0.candidate.algorithm == "als" && $0.candidate.settings["iterations"] != "15" }
        #expect(alsDraws.count >= 6)
        #expect(alsDraws.allSatisfy { !$0.complete })
        #expect(!result.stoppedByDeadline)
        let popularity = try #require(result.popularityScore), winner = try #require(result.winnerScore)
        #expect(result.winner.algorithm != "popular")
        #expect(winner > popularity + 0.2, "winner \(winner), popularity \(popularity)")
        // The winner is the best complete trial, and its settings are what it reports.
        #expect(winner == result.trials.filter(\.complete).map(\.score).max())
        #expect(result.reason.contains(String(format: "%.4f", winner)))
        #expect(result.winner.settings["iterations"] == nil || result.winner.settings["iterations"] == "15")
        // Scoring a trial again gives its score: the validation part is fixed by the seed.
        let again = try ValidationPart(Self.groups(), seed: 7, threads: 2).score(result.winner.spec).ndcg
        #expect(abs(again - winner) < 1e-9)
    }

    @Test("the same data and seed with a budget every phase finishes in give the same winner")
    func deterministic() throws {
        let search = Self.search(seed: 11, draws: 4)
        let a = search.run(Self.groups()), b = search.run(Self.groups())
        #expect(a.winner.spec == b.winner.spec)
        #expect(a.trials.map(\.score) == b.trials.map(\.score))
    }

    @Test("a budget that runs out stops the search with what finished: popularity and today's default are always compared")
    func deadline() throws {
        var search = Self.search(seed: 1, draws: 3)
        search.budget = 0.000_1
        let result = search.run(Self.groups())
        #expect(result.stoppedByDeadline)
        #expect(result.trials.map(\.candidate.algorithm) == ["popular", "als"])
        #expect(["popular", "als"].contains(result.winner.algorithm))
        #expect(result.reason.contains("budget ran out") || result.winner.algorithm == "popular")
    }

    @Test("the previous winner is tried right after the two baselines, so a re-search starts from it")
    func warmStart() throws {
        let start = try #require(SearchCandidate.from(algorithm: "ease", settings: ["regularization": "42"], seed: 1, threads: 2))
        let search = Self.search(seed: 2, draws: 3, start: start)
        let result = search.run(Self.groups())
        #expect(result.trials.count > 3)
        #expect(result.trials[2].candidate.spec == start.spec)
        #expect(SearchCandidate.from(algorithm: "ease", settings: ["regularization": "-1"], seed: 1, threads: 1) == nil)
        // A start that can no longer train (EASE on a catalog past its limit) is noted and skipped.
        let tooWide = SearchCandidate(ModelSpec(EASEConfiguration(regularization: 5, maximumItems: 10)))
        var notes: [String] = []
        let skipped = Self.search(seed: 2, draws: 3, start: tooWide).run(Self.groups()) { notes.append($0) }
        #expect(!skipped.trials.contains { $0.candidate.spec == tooWide.spec })
        #expect(notes.contains { $0.contains("not trained") })
        #expect(skipped.winner.algorithm != "popular")
        #expect(SearchCandidate.from(algorithm: "dp-als", settings: [:], seed: 1, threads: 1) == nil)
    }

    @Test("too little data to hold anything out: nothing is compared, today's default is named and the reason says why")
    func tooSmall() throws {
        let one = SparseMatrix(rows: 3, columns: 4, triplets: [(0, 0, 1), (1, 1, 1), (2, 2, 1)])
        let result = ModelSearch(budget: 10, seed: 1).run(one)
        #expect(result.trials.isEmpty)
        #expect(result.winner.algorithm == "als")
        #expect(result.winnerScore == nil)
        #expect(result.reason.contains("too little data"))
    }

    @Test("the guard: an untrained iALS scores below popularity on validation and fails; a trained one on taste passes")
    func popularityGuard() throws {
        var untrained = ALSConfiguration()
        untrained.iterations = 0
        untrained.factors = 4
        let refused = try #require(try PopularityGuard.check(Self.shared(), spec: .als(untrained), seed: 1, threads: 2))
        #expect(!refused.passes)
        #expect(refused.refusal.contains("below popularity"))
        let easy = try #require(try PopularityGuard.check(Self.groups(), spec: ModelSpec(EASEConfiguration(regularization: 10)), seed: 1, threads: 2))
        #expect(easy.passes)
        #expect(try PopularityGuard.check(Self.groups(), spec: .popular, seed: 1) == nil)
        #expect(try PopularityGuard.check(Self.groups(), spec: .privatePopular(maxItemsPerPerson: 5, epsilon: 1, delta: 1e-6), seed: 1) == nil)
    }

    @Test("the choice is kept beside the models, private to its owner, and read back as the same candidate")
    func choiceFile() throws {
        let tmp = TemporaryDirectory()
        let search = Self.search(seed: 5, draws: 3)
        let result = search.run(Self.groups())
        let models = ModelDirectory(directory: DataDirectory(path: tmp.path))
        #expect(SearchChoice.load(from: models) == nil)
        try SearchChoice(result, at: 1_000).save(to: models)
        let loaded = try #require(SearchChoice.load(from: models))
        #expect(loaded.algorithm == result.winner.algorithm)
        #expect(loaded.searchedAt == 1_000)
        #expect(loaded.candidate(seed: 5, threads: 2)?.spec == result.winner.spec)
        let mode = try FileManager.default.attributesOfItem(atPath: models.path + "/search.json")[.posixPermissions] as? Int
        #expect(mode == 0o600)
        // A damaged file is no choice: the next search starts afresh.
        try Data("{not json".utf8).write(to: URL(fileURLWithPath: models.path + "/search.json"))
        #expect(SearchChoice.load(from: models) == nil)
    }
}
