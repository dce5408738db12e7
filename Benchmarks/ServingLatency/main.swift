// Serving latency: fold a person's history into an ALS model and take the top 10, by scanning the
// whole catalog (exact) and through the inner-product index, for catalogs of 10,000 and 100,000
// items. Item factors come from a quick ALS train on generated data (topics, long-tail popularity);
// queries are held-out people of the same generator. Searches run on one thread; the index build
// uses every core. Prints a table and one JSON line.
//
//   swift run -c release serving-latency [--catalogs 10000,100000] [--factors 64] [--history 30] [--queries 2000]
//                                        [--users 40000] [--iterations 6] [--clusters N] [--probes N] [--random]
import Foundation
import TactCore
import TactRecommend

func argument(_ name: String, _ fallback: Int) -> Int {
    let args = CommandLine.arguments
    guard let i = args.firstIndex(of: "--" + name), i + 1 < args.count, let v = Int(args[i + 1]) else { return fallback }
    return v
}
func list(_ name: String, _ fallback: [Int]) -> [Int] {
    let args = CommandLine.arguments
    guard let i = args.firstIndex(of: "--" + name), i + 1 < args.count else { return fallback }
    return args[i + 1].split(separator: ",").compactMap { Int($0) }
}

let catalogs = list("catalogs", [10_000, 100_000]), factors = argument("factors", 64)
let historyLength = argument("history", 30), queries = argument("queries", 2_000)
let users = argument("users", 40_000), alsIterations = argument("iterations", 6)
let probesOverride = argument("probes", 0), clustersOverride = argument("clusters", 0), randomFactors = CommandLine.arguments.contains("--random")

/// People who like one to three topics: most of their items come from those topics, the rest from
/// everywhere, and inside a topic popularity falls off as a power law (a long tail of rare items).
struct Generator {
    let items: Int, topics: Int
    var random: SplitMix64

    /// A rank in 0..<count, drawn with weight ∝ (rank + 1)^−0.8.
    mutating func tailRank(_ count: Int) -> Int {
        let a = 0.8, u = random.unit()
        let r = pow(u * (pow(Double(count + 1), 1 - a) - 1) + 1, 1 / (1 - a)) - 1
        return min(count - 1, Int(r))
    }

    mutating func history(length: Int) -> [Int32] {
        let liked = (0..<(1 + Int(random.next(below: 3)))).map { _ in Int(random.next(below: UInt64(topics))) }
        let perTopic = items / topics
        var seen = Set<Int32>(), out: [Int32] = []
        while out.count < length {
            let topic = random.unit() < 0.8 ? liked[Int(random.next(below: UInt64(liked.count)))] : Int(random.next(below: UInt64(topics)))
            let item = Int32(min(items - 1, tailRank(perTopic) * topics + topic))
            if seen.insert(item).inserted { out.append(item) }
        }
        return out
    }
}

func itemFactors(items: Int, seed: UInt64) -> (FactorMatrix, Double) {
    let started = Date()
    if randomFactors {
        // Gaussian directions with log-normal norms.
        var m = FactorMatrix(rows: items, factors: factors)
        var random = SplitMix64(seed: seed)
        func gauss() -> Float { Float((-2 * log(max(1e-12, random.unit()))).squareRoot() * cos(2 * .pi * random.unit())) }
        for i in 0..<items {
            let scale = exp(0.5 * gauss()) / Float(factors).squareRoot()
            for f in 0..<factors { m.storage[i * m.stride + f] = gauss() * scale }
        }
        return (m, Date().timeIntervalSince(started))
    }
    var generator = Generator(items: items, topics: max(20, items / 500), random: SplitMix64(seed: seed))
    var triplets: [(row: Int32, column: Int32, value: Float)] = []
    for u in 0..<users {
        let length = 10 + Int(generator.random.next(below: 41))
        for item in generator.history(length: length) { triplets.append((Int32(u), item, 1)) }
    }
    var configuration = ALSConfiguration()
    configuration.factors = factors
    configuration.iterations = alsIterations
    configuration.regularization = 0.05
    configuration.alpha = 10
    let model = ImplicitALS.train(SparseMatrix(rows: users, columns: items, triplets: triplets), configuration: configuration)
    return (model.itemFactors, Date().timeIntervalSince(started))
}

func pct(_ t: [Double], _ p: Double) -> Double { t[min(t.count - 1, Int(Double(t.count) * p))] }
func timed(_ count: Int, _ body: (Int) -> Void) -> [Double] {
    var times: [Double] = []
    for q in 0..<count {
        let start = DispatchTime.now().uptimeNanoseconds
        body(q)
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
    }
    return times.sorted()
}

struct Row { let catalog: Int, step: String, times: [Double], recall: Double?, build: Double? }
struct Catalog {
    let items: Int, factorSeconds: Double, build: Double, clusters: Int, probes: Int, largest: Int, recall: Double,
        foldIn: [Double], exact: [Double], index: [Double], exactFull: [Double], indexFull: [Double]
}
var rows: [Row] = [], results: [Catalog] = []
var sink: Float = 0

for items in catalogs {
    let (y, factorSeconds) = itemFactors(items: items, seed: UInt64(items))
    var configuration = ALSConfiguration()
    configuration.factors = factors
    configuration.regularization = 0.05
    configuration.alpha = 10
    let model = ALSModel(configuration: configuration, userFactors: FactorMatrix(rows: 1, factors: factors), itemFactors: y)
    let exactServing = ALSServing(model: model, indexThreshold: .max)
    let buildStart = Date()
    let index = InnerProductIndex(itemFactors: y, clusters: clustersOverride > 0 ? clustersOverride : nil, probes: probesOverride > 0 ? probesOverride : nil)
    let build = Date().timeIntervalSince(buildStart)

    var generator = Generator(items: items, topics: max(20, items / 500), random: SplitMix64(seed: 99))
    let histories = (0..<queries).map { _ in generator.history(length: historyLength).map { (item: $0, value: Float(1)) } }
    let excluded = histories.map { Set($0.map(\.item)) }
    let vectors = histories.map { PersonalSystem(serving: exactServing, history: $0).userVector }

    // Recall@10 of the index against the exact scan, and the same at other probe counts.
    func recall(probes: Int?) -> Double {
        var found = 0, wanted = 0
        for q in 0..<queries {
            let exact = Set(exactServing.recommendExact(vectors[q], k: 10, excluding: excluded[q]).map(\.item))
            found += index.search(vectors[q], k: 10, probes: probes, excluding: excluded[q]).filter { exact.contains($0.item) }.count
            wanted += exact.count
        }
        return Double(found) / Double(max(1, wanted))
    }
    _ = timed(queries) { q in sink += exactServing.recommendExact(vectors[q], k: 10, excluding: excluded[q])[0].score }  // warm-up
    _ = timed(queries) { q in sink += index.search(vectors[q], k: 10, excluding: excluded[q])[0].score }
    let foldIn = timed(queries) { q in sink += PersonalSystem(serving: exactServing, history: histories[q]).userVector[0] }
    let exact = timed(queries) { q in sink += exactServing.recommendExact(vectors[q], k: 10, excluding: excluded[q])[0].score }
    let searched = timed(queries) { q in sink += index.search(vectors[q], k: 10, excluding: excluded[q])[0].score }
    let exactFull = timed(queries) { q in
        sink += exactServing.recommendExact(PersonalSystem(serving: exactServing, history: histories[q]).userVector, k: 10, excluding: excluded[q])[0].score
    }
    let indexFull = timed(queries) { q in
        sink += index.search(PersonalSystem(serving: exactServing, history: histories[q]).userVector, k: 10, excluding: excluded[q])[0].score
    }
    let r = recall(probes: nil)
    results.append(
        Catalog(
            items: items, factorSeconds: factorSeconds, build: build, clusters: index.clusters, probes: index.probes,
            largest: index.clusterSizes.max() ?? 0, recall: r, foldIn: foldIn, exact: exact, index: searched,
            exactFull: exactFull, indexFull: indexFull))
    rows.append(Row(catalog: items, step: "fold-in", times: foldIn, recall: nil, build: nil))
    rows.append(Row(catalog: items, step: "exact top-10", times: exact, recall: 1, build: nil))
    rows.append(Row(catalog: items, step: "index top-10 (\(index.probes) probes)", times: searched, recall: r, build: build))
    rows.append(Row(catalog: items, step: "fold-in + exact top-10", times: exactFull, recall: 1, build: nil))
    rows.append(Row(catalog: items, step: "fold-in + index top-10", times: indexFull, recall: r, build: nil))
    for percent in [1, 2, 3, 10, 20] {
        let p = max(1, (index.clusters * percent + 99) / 100)
        if p == index.probes { continue }
        let t = timed(queries) { q in sink += index.search(vectors[q], k: 10, probes: p, excluding: excluded[q])[0].score }
        rows.append(Row(catalog: items, step: "index top-10 (\(p) probes)", times: t, recall: recall(probes: p), build: nil))
    }
}

let commit =
    (try? String(contentsOfFile: ".git/HEAD", encoding: .utf8)).map { _ in
        let p = Process(); p.executableURL = URL(fileURLWithPath: "/usr/bin/git"); p.arguments = ["rev-parse", "--short", "HEAD"]
        let pipe = Pipe(); p.standardOutput = pipe; try? p.run(); p.waitUntilExit()
        return String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    } ?? "unknown"
let cpu =
    ((try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? "").split(separator: "\n").first { $0.hasPrefix("model name") }.map {
        String($0.split(separator: ":")[1]).trimmingCharacters(in: .whitespaces)
    } ?? "unknown"
let cores = ProcessInfo.processInfo.activeProcessorCount
let source = randomFactors ? "random factors (log-normal norms)" : "ALS factors (\(users) generated people, \(alsIterations) iterations)"
print(
    "Serving latency, commit \(commit), \(cpu), searches on one thread, index build on \(cores) cores; \(factors) factors, \(source), history \(historyLength), \(queries) queries"
)
for c in results {
    print(
        "  \(c.items) items: factors in \(String(format: "%.1f", c.factorSeconds)) s; index \(c.clusters) clusters (largest \(c.largest) items), \(c.probes) probes by default, built in \(String(format: "%.2f", c.build)) s"
    )
}
print("items   step                              p50 ms   p90 ms   p99 ms  recall@10  build s")
for r in rows {
    let recall = r.recall.map { String(format: "%9.3f", $0) } ?? String(repeating: " ", count: 9)
    let build = r.build.map { String(format: "%8.2f", $0) } ?? ""
    print(
        String(r.catalog).padding(toLength: 8, withPad: " ", startingAt: 0) + r.step.padding(toLength: 32, withPad: " ", startingAt: 0)
            + String(format: "%8.3f %8.3f %8.3f", pct(r.times, 0.5), pct(r.times, 0.9), pct(r.times, 0.99)) + "  " + recall + " " + build)
}
let json = results.map { c in
    "{\"items\":\(c.items),\"clusters\":\(c.clusters),\"probes\":\(c.probes),\"build_s\":\(c.build),\"recall_at_10\":\(c.recall),"
        + "\"fold_in_p50_ms\":\(pct(c.foldIn, 0.5)),\"exact_top10_p50_ms\":\(pct(c.exact, 0.5)),\"exact_top10_p99_ms\":\(pct(c.exact, 0.99)),"
        + "\"index_top10_p50_ms\":\(pct(c.index, 0.5)),\"index_top10_p99_ms\":\(pct(c.index, 0.99)),"
        + "\"fold_in_exact_top10_p99_ms\":\(pct(c.exactFull, 0.99)),\"fold_in_index_top10_p99_ms\":\(pct(c.indexFull, 0.99))}"
}.joined(separator: ",")
print(
    "{\"benchmark\":\"serving-latency\",\"commit\":\"\(commit)\",\"machine\":\"\(cpu)\",\"cores\":\(cores),\"factors\":\(factors),\"history\":\(historyLength),\"queries\":\(queries),\"factor_source\":\"\(randomFactors ? "random" : "als")\",\"catalogs\":[\(json)],\"checksum\":\(sink.isFinite ? 1 : 0)}"
)
