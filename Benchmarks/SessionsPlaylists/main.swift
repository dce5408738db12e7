// Sessions and playlists on MovieLens 100K, and the latency of a session request over 100,000 items.
//
//   swift run -c release sessions-playlists PATH/TO/ml-100k [--factors 64] [--regularization 10] [--alpha 0.5]
//
// 1. Sessions: iALS trained on 80% of each person's items (seed 1); for each person with held-out items,
//    NDCG@10 of the top 10 from their whole training history (folded in, as serving does) against the
//    top 10 from only their last 5 training items (an anonymous session: nothing else known, so only
//    the 5 are left out of the list), and the same with their whole history left out (an upper bound).
// 2. Playlists: a 30-item playlist per person (30% familiar), its coherence (mean similarity of
//    consecutive items) against the same items shuffled, by the model's factor cosine and by
//    co-occurrence cosine (which the builder does not optimize).
// 3. Latency: a session of 5 items folded into a 64-factor model of 100,000 items, top 10 with reasons,
//    through the inner-product index (plain and with MMR re-ranking, λ 0.7) and by an exact scan; one thread.
//    The factors are random: the cost does not depend on their values, but the index's recall does
//    (serving-latency measures it on trained factors).
// Prints a table and one JSON line.
import Foundation
import TactCore
import TactEngine
import TactRecommend

func option(_ name: String, _ fallback: Double) -> Double {
    let args = CommandLine.arguments
    guard let i = args.firstIndex(of: "--" + name), i + 1 < args.count, let v = Double(args[i + 1]) else { return fallback }
    return v
}
let args = CommandLine.arguments.dropFirst().filter { !$0.hasPrefix("--") }
guard let folder = args.first, FileManager.default.fileExists(atPath: folder + "/u.data") else {
    FileHandle.standardError.write(Data("usage: sessions-playlists PATH/TO/ml-100k (the folder holding u.data)\n".utf8))
    exit(2)
}
var configuration = ALSConfiguration()
configuration.factors = Int(option("factors", 64))
configuration.regularization = Float(option("regularization", 10))
configuration.alpha = Float(option("alpha", 0.5))
configuration.iterations = 15

// MARK: Data and model
let path = folder + "/u.data"
let data = try InteractionMatrix.read(InteractionFileFormat.detect(path: path).open(path: path), keepTimestamps: true)
let split = EvaluationData.split(data, holdOut: .random(fraction: 0.2, seed: 1))
var latest: [Int64: Int64] = [:]  // (row << 32 | column) → timestamp
for r in 0..<data.matrix.rows {
    let (indices, _) = data.matrix.row(r)
    for (offset, column) in indices.enumerated() { latest[Int64(r) << 32 | Int64(column)] = data.timestamps[data.matrix.rowStart[r] + offset] }
}
let model = ImplicitALS.train(split.train, configuration: configuration)
let serving = ALSServing(model: model, indexThreshold: .max)

// MARK: 1. Sessions
func ndcg(_ list: [Int32], relevant: Set<Int32>) -> Double {
    var dcg = 0.0
    for (rank, item) in list.enumerated() where relevant.contains(item) { dcg += 1 / log2(Double(rank) + 2) }
    let ideal = (0..<min(10, relevant.count)).reduce(0.0) { $0 + 1 / log2(Double($1) + 2) }
    return ideal > 0 ? dcg / ideal : 0
}
var full = 0.0, session = 0.0, sessionKnown = 0.0, evaluated = 0
for u in 0..<split.test.rows where split.test.count(ofRow: u) > 0 {
    let relevant = Set(split.test.row(u).indices)
    let (items, values) = split.train.row(u)
    let history = zip(items, values).map { (item: $0, value: $1) }
    let seen = Set(items)
    let last5 = history.sorted { (latest[Int64(u) << 32 | Int64($0.item)] ?? 0) > (latest[Int64(u) << 32 | Int64($1.item)] ?? 0) }.prefix(5)
    let everything = PersonalSystem(serving: serving, history: history).userVector
    let sessionVector = PersonalSystem(serving: serving, history: Array(last5)).userVector
    full += ndcg(serving.recommendExact(everything, k: 10, excluding: seen).map(\.item), relevant: relevant)
    session += ndcg(serving.recommendExact(sessionVector, k: 10, excluding: Set(last5.map(\.item))).map(\.item), relevant: relevant)
    sessionKnown += ndcg(serving.recommendExact(sessionVector, k: 10, excluding: seen).map(\.item), relevant: relevant)
    evaluated += 1
}
full /= Double(evaluated); session /= Double(evaluated); sessionKnown /= Double(evaluated)

// MARK: 2. Playlists
let factorSimilarity = ItemSimilarity(factors: model.itemFactors)
let cooccurrence = CooccurrenceSimilarity(split.train)
var built = (factors: 0.0, cooccurrence: 0.0), shuffled = (factors: 0.0, cooccurrence: 0.0), playlists = 0, familiarShare = 0.0
var random = SplitMix64(seed: 7)
for u in 0..<split.train.rows where split.train.count(ofRow: u) >= 10 {
    let (items, values) = split.train.row(u)
    let history = zip(items, values).map { (item: $0, value: $1) }
    let vector = PersonalSystem(serving: serving, history: history).userVector
    let discovery = serving.recommendExact(vector, k: 90, excluding: Set(items))
    let familiar = history.map { (item: $0.item, score: $0.value) }
    let list = PlaylistBuilder.build(
        familiar: familiar, discovery: discovery, options: PlaylistOptions(length: 30, familiarShare: 0.3),
        similarity: { factorSimilarity($0, $1) }, groups: { _ in [] }, seed: UInt64(u)
    ).map(\.item)
    familiarShare += Double(Set(list).intersection(items).count) / Double(list.count)
    let mixed = list.shuffled(using: &random)
    built.factors += PlaylistBuilder.coherence(list, similarity: { factorSimilarity($0, $1) })
    built.cooccurrence += PlaylistBuilder.coherence(list, similarity: { cooccurrence($0, $1) })
    shuffled.factors += PlaylistBuilder.coherence(mixed, similarity: { factorSimilarity($0, $1) })
    shuffled.cooccurrence += PlaylistBuilder.coherence(mixed, similarity: { cooccurrence($0, $1) })
    playlists += 1
}
let n = Double(playlists)

// MARK: 3. Latency over 100,000 items
let catalog = 100_000
var big = model
big.itemFactors = FactorMatrix.random(rows: catalog, factors: configuration.factors, seed: 3)
big.userFactors = FactorMatrix(rows: 1, factors: configuration.factors)
let bigServing = ALSServing(model: big)
let bigExact = ALSServing(model: big, indexThreshold: .max)
let bigSimilarity = ItemSimilarity(factors: big.itemFactors)
func percentile(_ xs: [Double], _ q: Double) -> Double { let s = xs.sorted(); return s[min(s.count - 1, Int(Double(s.count) * q))] }
func timeSessions(rerank: RerankOptions, serving bigServing: ALSServing = bigServing) -> [Double] {
    var gen = SplitMix64(seed: 11)
    var times: [Double] = []
    for _ in 0..<2_000 {
        let items = (0..<5).map { _ in (item: Int32(gen.next(below: UInt64(catalog))), value: Float(1)) }
        let started = DispatchTime.now().uptimeNanoseconds
        let system = PersonalSystem(serving: bigServing, history: items)
        var recs = bigServing.recommend(system.userVector, k: rerank.candidates(for: 10), excluding: Set(items.map(\.item)))
        if !rerank.isIdentity {
            recs = MMRReranker.rerank(recs, k: 10, options: rerank, similarity: { bigSimilarity($0, $1) }, groups: { _ in [] }, popularity: { _ in 0 })
        }
        _ = system.explain(items: recs.map(\.item))
        times.append(Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6)
    }
    return Array(times.dropFirst(100))
}
let plain = timeSessions(rerank: .init()), diverse = timeSessions(rerank: .init(lambda: 0.7))
let exact = timeSessions(rerank: .init(), serving: bigExact)

// MARK: Report
func f(_ v: Double, _ d: Int = 4) -> String { String(format: "%.\(d)f", v) }
print(
    "MovieLens 100K, iALS \(configuration.factors) factors, λ \(configuration.regularization), α \(configuration.alpha), 80/20 split seed 1; \(evaluated) people evaluated"
)
print("")
print("Sessions                                        NDCG@10")
print("  whole training history (folded in)            \(f(full))")
print("  last 5 training items only (session)          \(f(session))   (\(f(session / full * 100, 1))% of the whole history)")
print("  last 5 only, whole history left out           \(f(sessionKnown))   (upper bound: an app that knew what was had)")
print("")
print("Playlists (30 items, 30% familiar, \(playlists) people)   coherence   shuffled   ratio")
print("  factor cosine (what the builder follows)      \(f(built.factors / n))      \(f(shuffled.factors / n))     \(f(built.factors / shuffled.factors, 2))×")
print(
    "  co-occurrence cosine (independent)            \(f(built.cooccurrence / n))      \(f(shuffled.cooccurrence / n))     \(f(built.cooccurrence / shuffled.cooccurrence, 2))×"
)
print("  familiar share achieved                       \(f(familiarShare / n, 3))")
print("")
print("Session latency, 5 items, top 10 with reasons, \(catalog) items, one thread:")
print("  index             p50 \(f(percentile(plain, 0.5), 3)) ms   p99 \(f(percentile(plain, 0.99), 3)) ms")
print("  exact scan        p50 \(f(percentile(exact, 0.5), 3)) ms   p99 \(f(percentile(exact, 0.99), 3)) ms")
print("  index + MMR λ 0.7 p50 \(f(percentile(diverse, 0.5), 3)) ms   p99 \(f(percentile(diverse, 0.99), 3)) ms")
let json: [String: Any] = [
    "benchmark": "sessions-playlists", "people": evaluated,
    "ndcg_full_history": full, "ndcg_session_last5": session, "ndcg_session_last5_history_excluded": sessionKnown,
    "playlist_coherence_factors": built.factors / n, "playlist_coherence_factors_shuffled": shuffled.factors / n,
    "playlist_coherence_cooccurrence": built.cooccurrence / n, "playlist_coherence_cooccurrence_shuffled": shuffled.cooccurrence / n,
    "playlist_familiar_share": familiarShare / n,
    "session_latency_ms": [
        "items": catalog, "p50": percentile(plain, 0.5), "p99": percentile(plain, 0.99),
        "mmr_p50": percentile(diverse, 0.5), "mmr_p99": percentile(diverse, 0.99),
        "exact_p50": percentile(exact, 0.5), "exact_p99": percentile(exact, 0.99)
    ]
]
print(String(decoding: try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]), as: UTF8.self))
