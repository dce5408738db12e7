// Recommendation quality on MovieLens 100K under Microsoft Recommenders' protocol: each person's ratings
// split 75/25 at random, per person (round half to even), every rating an implicit positive, top 10 over
// every item the person has no training rating for, NDCG@10 with binary relevance (IDCG over
// min(10, |test|)), averaged over people with test items.
//
//   swift run -c release quality PATH/TO/ml-100k OUT_DIR [--seed 42] [--budget-fits N]
//       splits, writes OUT_DIR/train.tsv and test.tsv (0-based row and column) for peers, tunes and
//       scores Tact's models, and prints one JSON line per model.
//   swift run -c release quality --score OUT_DIR LISTS NAME
//       scores a peer's lists (one line per row: the row, a tab, its items best first, comma-separated)
//       with the same code, and prints one JSON line.
//
// "tact default" is what `tact train` and `tact evaluate` do with no model flag: the model search
// (TactEngine's ModelSearch, its default budget) on the training part alone, its winner refitted on the
// training part and scored once; it runs once per search seed (--search-seeds, default 5), each its
// own JSON line, since the winner depends on the seed's validation part and draws.
//
// Tuning never sees the test part: each setting is fitted on a stratified 75/25 split of the training
// part (seed + 1) and judged on its validation 25%; the winner is refitted on the whole training part
// and scored once on the test part.
import Foundation
import TactCore
import TactEngine
import TactRecommend

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(2)
}
func option(_ name: String, _ fallback: Int) -> Int {
    let args = CommandLine.arguments
    guard let i = args.firstIndex(of: "--" + name), i + 1 < args.count, let v = Int(args[i + 1]) else { return fallback }
    return v
}
func json(_ object: [String: Any]) -> String {
    String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
}
func binary(_ m: SparseMatrix) -> SparseMatrix {
    SparseMatrix(rows: m.rows, columns: m.columns, rowStart: m.rowStart, indices: m.indices, values: [Float](repeating: 1, count: m.nonZeros))
}
func write(_ m: SparseMatrix, to path: String) throws {
    var text = ""
    for r in 0..<m.rows { for c in m.row(r).indices { text += "\(r)\t\(c)\n" } }
    try text.write(toFile: path, atomically: true, encoding: .utf8)
}
func read(_ path: String, rows: Int, columns: Int) throws -> SparseMatrix {
    let triplets = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { line -> (row: Int32, column: Int32, value: Float) in
        let parts = line.split(separator: "\t")
        return (Int32(parts[0])!, Int32(parts[1])!, 1)
    }
    return SparseMatrix(rows: rows, columns: columns, triplets: triplets)
}

/// A model under test: from training data to a function giving a row's top k, its history excluded.
typealias Fitted = @Sendable (_ row: Int, _ k: Int) -> [Int32]
struct Candidate {
    var name: String
    var settings: [String: Any]
    var fit: (SparseMatrix) throws -> Fitted
}

func score(_ fitted: Fitted, train: SparseMatrix, test: SparseMatrix) -> RankingMetrics {
    RankingMetrics.evaluate(k: 10, train: train, test: test) { u, k in fitted(u, k) }
}

func als(_ c: ALSConfiguration) -> Candidate {
    Candidate(name: "als", settings: ["factors": c.factors, "regularization": Double(c.regularization), "alpha": Double(c.alpha), "iterations": c.iterations]) {
        train in
        let serving = ALSServing(model: ImplicitALS.train(train, configuration: c), indexThreshold: .max)
        return { u, k in serving.recommendExact(serving.userVector(u), k: k, excluding: Set(train.row(u).indices)).map(\.item) }
    }
}
func ease(_ lambda: Float) -> Candidate {
    Candidate(name: "ease", settings: ["regularization": Double(lambda)]) { train in
        let model = try EASEModel.train(train, configuration: EASEConfiguration(regularization: lambda))
        return { u, k in model.recommend(history: Array(train.row(u).indices), k: k).map { Int32($0.item) } }
    }
}
func knn(_ neighbours: Int) -> Candidate {
    var c = ItemKNNConfiguration()
    c.neighbours = neighbours
    return Candidate(name: "knn", settings: ["neighbours": neighbours, "weighting": "cosine"]) { train in
        let model = ItemKNNModel.train(train, configuration: c)
        return { u, k in
            let (items, values) = train.row(u)
            return model.recommend(history: zip(items, values).map { (item: $0, value: $1) }, k: k).map { Int32($0.item) }
        }
    }
}
let popularity = Candidate(name: "popularity", settings: [:]) { train in
    var counts = [Int](repeating: 0, count: train.columns)
    for c in train.indices { counts[Int(c)] += 1 }
    let order = (0..<Int32(train.columns)).sorted { (a: Int32, b: Int32) -> Bool in
        let ca = counts[Int(a)], cb = counts[Int(b)]
        return ca != cb ? ca > cb : a < b
    }
    return { u, k in
        let had = Set(train.row(u).indices)
        return Array(order.lazy.filter { !had.contains($0) }.prefix(k))
    }
}

let args = Array(CommandLine.arguments.dropFirst())
if args.first == "--score" {
    guard args.count >= 4 else { fail("usage: quality --score OUT_DIR LISTS NAME") }
    let shape = try String(contentsOfFile: args[1] + "/shape.txt", encoding: .utf8).split(separator: " ").compactMap {
        Int($0.trimmingCharacters(in: .whitespacesAndNewlines))
    }
    let train = try read(args[1] + "/train.tsv", rows: shape[0], columns: shape[1]), test = try read(args[1] + "/test.tsv", rows: shape[0], columns: shape[1])
    var lists = [[Int32]](repeating: [], count: shape[0])
    for line in try String(contentsOfFile: args[2], encoding: .utf8).split(separator: "\n") {
        let parts = line.split(separator: "\t", omittingEmptySubsequences: false)
        lists[Int(parts[0])!] = parts.count > 1 ? parts[1].split(separator: ",").compactMap { Int32($0) } : []
    }
    let frozen = lists
    let m = score({ u, k in Array(frozen[u].filter { !train.row(u).indices.contains($0) }.prefix(k)) }, train: train, test: test)
    print(json(["model": args[3], "ndcg@10": m.ndcg, "precision@10": m.precision, "recall@10": m.recall, "map@10": m.map, "users": m.users]))
    exit(0)
}
let positional = args.filter { !$0.hasPrefix("--") && Int($0) == nil }
guard positional.count >= 2, FileManager.default.fileExists(atPath: positional[0] + "/u.data") else {
    fail("usage: quality PATH/TO/ml-100k OUT_DIR [--seed 42]")
}
let seed = UInt64(option("seed", 42)), out = positional[1]
try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
let path = positional[0] + "/u.data"
let all = binary(try InteractionMatrix.read(InteractionFileFormat.detect(path: path).open(path: path)).matrix)
let (train, test) = EvaluationSplit.stratified(all, testFraction: 0.25, seed: seed)
let (fit, validation) = EvaluationSplit.stratified(train, testFraction: 0.25, seed: seed + 1)
try write(train, to: out + "/train.tsv")
try write(test, to: out + "/test.tsv")
try write(fit, to: out + "/fit.tsv")
try write(validation, to: out + "/validation.tsv")
try "\(all.rows) \(all.columns)\n".write(toFile: out + "/shape.txt", atomically: true, encoding: .utf8)
FileHandle.standardError.write(Data("\(all.rows) people × \(all.columns) items, \(train.nonZeros) train, \(test.nonZeros) test cells (seed \(seed))\n".utf8))

/// Tunes over `candidates` on the validation split, refits the best on the training part, scores it on test.
func tuned(_ label: String, _ candidates: [Candidate]) throws -> String {
    let started = Date()
    var best: (candidate: Candidate, ndcg: Double)?
    var tried: [[String: Any]] = []
    for c in candidates {
        let v = score(try c.fit(fit), train: fit, test: validation).ndcg
        tried.append(c.settings.merging(["validation_ndcg@10": v]) { a, _ in a })
        if best == nil || v > best!.ndcg { best = (c, v) }
    }
    let winner = best!.candidate
    let m = score(try winner.fit(train), train: train, test: test)
    return json([
        "model": label, "settings": winner.settings, "validation_ndcg@10": best!.ndcg, "ndcg@10": m.ndcg, "precision@10": m.precision,
        "recall@10": m.recall, "map@10": m.map, "users": m.users, "tried": tried, "seconds": Date().timeIntervalSince(started)
    ])
}

var cliDefault = ALSConfiguration()  // tact train --algorithm als with no other flag: 64 factors, 15 iterations, λ 0.01, α 1, CG 3
cliDefault.seed = 1
for searchSeed in 1...UInt64(option("search-seeds", 5)) {
    let started = Date()
    let result = ModelSearch(seed: searchSeed).run(train)
    let trained = try ModelTrainer.train(train, spec: result.winner.spec)
    let m = score(trained.recommender(train: train), train: train, test: test)
    print(
        json([
            "model": "tact default (no model flags)",
            "settings": ["search_seed": searchSeed, "algorithm": result.winner.algorithm, "winner": result.winner.settings],
            "validation_ndcg@10": result.winnerScore ?? 0, "ndcg@10": m.ndcg, "precision@10": m.precision, "recall@10": m.recall, "map@10": m.map,
            "users": m.users, "trials": result.trials.count, "budget_seconds": result.budgetSeconds, "stopped_by_deadline": result.stoppedByDeadline,
            "seconds": Date().timeIntervalSince(started)
        ]))
}
print(try tuned("popularity", [popularity]))
print(try tuned("tact iALS, --algorithm als defaults", [als(cliDefault)]))
print(try tuned("tact item-kNN, default flags", [knn(20)]))
print(try tuned("tact item-kNN, tuned", [10, 20, 50, 100, 200].map(knn)))
print(try tuned("tact EASE, tuned", [50, 100, 200, 300, 500, 800, 1200, 2000].map { ease(Float($0)) }))
/// A weighted sum of EASE's and iALS's scores, each standardized per person over the items they have not had.
func blend(_ weight: Double, ease lambda: Float, als c: ALSConfiguration) -> Candidate {
    Candidate(
        name: "blend",
        settings: [
            "ease_weight": weight, "ease_regularization": Double(lambda), "als_factors": c.factors,
            "als_regularization": Double(c.regularization), "als_alpha": Double(c.alpha)
        ]
    ) { train in
        let easeModel = try EASEModel.train(train, configuration: EASEConfiguration(regularization: lambda))
        let serving = ALSServing(model: ImplicitALS.train(train, configuration: c), indexThreshold: .max)
        let n = train.columns
        return { u, k in
            let had = Set(train.row(u).indices)
            let e = easeModel.scores(history: Array(had))
            var a = [Float](repeating: 0, count: n)
            for (item, score) in serving.recommendExact(serving.userVector(u), k: n) { a[Int(item)] = score }
            func standardized(_ v: [Float]) -> [Double] {
                let kept = (0..<n).filter { !had.contains(Int32($0)) }.map { Double(v[$0]) }
                let mean = kept.reduce(0, +) / Double(max(1, kept.count))
                let sd = (kept.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(1, kept.count))).squareRoot()
                return v.map { (Double($0) - mean) / max(sd, 1e-12) }
            }
            let ze = standardized(e), za = standardized(a)
            return (0..<Int32(n)).filter { !had.contains($0) }
                .sorted { weight * ze[Int($0)] + (1 - weight) * za[Int($0)] > weight * ze[Int($1)] + (1 - weight) * za[Int($1)] }
                .prefix(k).map { $0 }
        }
    }
}

var grid: [Candidate] = []
for factors in [64, 128] {
    for regularization: Float in [0.01, 1, 10, 50] {
        for alpha: Float in [1, 5, 20] {
            var c = cliDefault
            c.factors = factors; c.regularization = regularization; c.alpha = alpha
            grid.append(als(c))
        }
    }
}
print(try tuned("tact iALS, tuned", grid))
var best = cliDefault
best.factors = 128; best.regularization = 50; best.alpha = 5
print(try tuned("tact EASE + iALS blend, tuned", [0.3, 0.5, 0.7].map { blend($0, ease: 800, als: best) }))
