// Serving latency: fold a person's history into a trained ALS model and take the top 10 of a
// 100,000-item catalog, on one thread. Prints a table and one JSON line.
//
//   swift run -c release serving-latency [--items 100000] [--factors 64] [--history 20] [--queries 2000]
import Foundation
import TactCore
import TactRecommend

func argument(_ name: String, _ fallback: Int) -> Int {
    let args = CommandLine.arguments
    guard let i = args.firstIndex(of: "--" + name), i + 1 < args.count, let v = Int(args[i + 1]) else { return fallback }
    return v
}

let items = argument("items", 100_000), factors = argument("factors", 64)
let historyLength = argument("history", 20), queries = argument("queries", 2_000)

var configuration = ALSConfiguration()
configuration.factors = factors
let model = ALSModel(configuration: configuration,
                     userFactors: FactorMatrix(rows: 1, factors: factors),
                     itemFactors: FactorMatrix.random(rows: items, factors: factors, seed: 3))
let serving = ALSServing(model: model)
func randomHistories() -> [[(item: Int32, value: Float)]] {
    var state: UInt64 = 11
    func nextItem() -> Int32 { state = state &* 6364136223846793005 &+ 1442695040888963407; return Int32((state >> 33) % UInt64(items)) }
    return (0..<queries).map { _ in (0..<historyLength).map { _ in (nextItem(), 1) } }
}
let histories = randomHistories()

func measure(_ body: ([(item: Int32, value: Float)]) -> Void) -> [Double] {
    var times: [Double] = []
    for h in histories {
        let start = DispatchTime.now().uptimeNanoseconds
        body(h)
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
    }
    return times.sorted()
}
var sink: Float = 0
_ = measure { h in sink += serving.recommend(serving.foldIn(history: h), k: 10, excluding: Set(h.map(\.item)))[0].score } // warm-up
let foldIn = measure { h in sink += serving.foldIn(history: h)[0] }
let full = measure { h in sink += serving.recommend(serving.foldIn(history: h), k: 10, excluding: Set(h.map(\.item)))[0].score }
func pct(_ t: [Double], _ p: Double) -> Double { t[min(t.count - 1, Int(Double(t.count) * p))] }

let commit = (try? String(contentsOfFile: ".git/HEAD", encoding: .utf8)).map { _ in
    let p = Process(); p.executableURL = URL(fileURLWithPath: "/usr/bin/git"); p.arguments = ["rev-parse", "--short", "HEAD"]
    let pipe = Pipe(); p.standardOutput = pipe; try? p.run(); p.waitUntilExit()
    return String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
} ?? "unknown"
let cpu = ((try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? "").split(separator: "\n").first { $0.hasPrefix("model name") }.map { String($0.split(separator: ":")[1]).trimmingCharacters(in: .whitespaces) } ?? "unknown"
print("Serving latency, commit \(commit), \(cpu), one thread; \(items) items, \(factors) factors, history \(historyLength), \(queries) queries")
print("step                      p50 ms   p90 ms   p99 ms")
for (name, t) in [("fold-in", foldIn), ("fold-in + top-10", full)] {
    print(name.padding(toLength: 24, withPad: " ", startingAt: 0) + String(format: "%8.3f %8.3f %8.3f", pct(t, 0.5), pct(t, 0.9), pct(t, 0.99)))
}
print("{\"benchmark\":\"serving-latency\",\"commit\":\"\(commit)\",\"machine\":\"\(cpu)\",\"items\":\(items),\"factors\":\(factors),\"history\":\(historyLength),\"fold_in_p50_ms\":\(pct(foldIn, 0.5)),\"top10_p50_ms\":\(pct(full, 0.5)),\"top10_p99_ms\":\(pct(full, 0.99)),\"checksum\":\(sink.isFinite ? 1 : 0)}")
