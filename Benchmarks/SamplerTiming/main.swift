// The exact samplers' running time against the value they return (issue 23, point 7): many draws of
// the discrete Laplace and the discrete Gaussian, each timed on its own, from the generator releases
// use (ChaCha20, here seeded so runs repeat), with the 64-bit words each draw consumed counted. For
// the samplers before the fix (`LegacySampler`, the same algorithms with early-exit loops) and now
// (`ExactSampler`), it prints the cost per draw, the correlation between |x| and the words consumed
// and between |x| and the time (Pearson, and Spearman's rank correlation, which the scheduler's
// outliers cannot swamp), and the median time per range of |x|; then one JSON line with the
// commit and the machine.
//
//   swift build -c release --product sampler-timing && .build/release/sampler-timing [--draws 200000] [--scale 30] [--seed 1]
//
// The Gaussian runs at σ = scale (variance scale²).
import Foundation
import TactCore
import TactPrivacy

let args = Array(CommandLine.arguments.dropFirst())
func option(_ name: String, _ fallback: Int) -> Int {
    guard let i = args.firstIndex(of: "--" + name), i + 1 < args.count, let v = Int(args[i + 1]), v > 0 else { return fallback }
    return v
}
let draws = option("draws", 200_000), scale = UInt64(option("scale", 30)), seed = UInt64(option("seed", 1))

/// The production generator, counting the words it hands out.
struct Counting: RandomNumberGenerator {
    var base: ChaCha20Generator
    var words = 0
    mutating func next() -> UInt64 { words &+= 1; return base.next() }
}

@inline(__always) func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

func pearson(_ a: [Double], _ b: [Double]) -> Double {
    let n = Double(a.count), ma = a.reduce(0, +) / n, mb = b.reduce(0, +) / n
    var ab = 0.0, aa = 0.0, bb = 0.0
    for i in a.indices { ab += (a[i] - ma) * (b[i] - mb); aa += (a[i] - ma) * (a[i] - ma); bb += (b[i] - mb) * (b[i] - mb) }
    return aa > 0 && bb > 0 ? ab / (aa * bb).squareRoot() : 0
}

/// Spearman's rank correlation (ties get their mean rank): robust to the scheduler's outliers in the times.
func spearman(_ a: [Double], _ b: [Double]) -> Double {
    func ranks(_ v: [Double]) -> [Double] {
        let order = v.indices.sorted { v[$0] < v[$1] }
        var r = [Double](repeating: 0, count: v.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && v[order[j + 1]] == v[order[i]] { j += 1 }
            for k in i...j { r[order[k]] = Double(i + j) / 2 }
            i = j + 1
        }
        return r
    }
    return pearson(ranks(a), ranks(b))
}

func median(_ v: [Double]) -> Double {
    guard !v.isEmpty else { return 0 }
    let s = v.sorted()
    return s[s.count / 2]
}

struct Result {
    var sampler: String, version: String, parameter: String
    var nsPerDraw: Double, wordsPerDraw: Double
    var corrWords: Double, corrTime: Double, rankCorrTime: Double
    /// Median ns and the number of draws, for |x| < b, b ≤ |x| < 3b, |x| ≥ 3b (b the scale or σ).
    var buckets: [(medianNs: Double, count: Int)]
}

func measure(_ sampler: String, _ version: String, _ parameter: String, width: Double, _ draw: (inout Counting) -> Int64) -> Result {
    var g = Counting(base: ChaCha20Generator(seed: seed))
    for _ in 0..<min(draws, 20_000) { _ = draw(&g) }  // warm-up
    var magnitude = [Double](repeating: 0, count: draws), ns = magnitude, words = magnitude
    for i in 0..<draws {
        let w0 = g.words, t0 = now()
        let x = draw(&g)
        let t1 = now()
        magnitude[i] = Double(x.magnitude); ns[i] = Double(t1 - t0); words[i] = Double(g.words - w0)
    }
    // The cost per draw without the clock reads around each draw.
    let plainStart = now()
    var sink: Int64 = 0
    for _ in 0..<draws { sink &+= draw(&g) }
    let plain = Double(now() - plainStart) / Double(draws)
    if sink == .min { print("") }
    var bucketTimes: [[Double]] = [[], [], []]
    for i in 0..<draws { bucketTimes[magnitude[i] < width ? 0 : magnitude[i] < 3 * width ? 1 : 2].append(ns[i]) }
    return Result(
        sampler: sampler, version: version, parameter: parameter, nsPerDraw: plain, wordsPerDraw: words.reduce(0, +) / Double(draws),
        corrWords: pearson(magnitude, words), corrTime: pearson(magnitude, ns), rankCorrTime: spearman(magnitude, ns),
        buckets: bucketTimes.map { (median($0), $0.count) })
}

let laplace = ExactRational(scale), variance = ExactRational(scale * scale)
var results: [Result] = []
results.append(measure("discrete Laplace", "before", "scale \(scale)", width: Double(scale)) { LegacySampler.discreteLaplace(scale: laplace, using: &$0) })
results.append(measure("discrete Laplace", "after", "scale \(scale)", width: Double(scale)) { ExactSampler.discreteLaplace(scale: laplace, using: &$0) })
results.append(measure("discrete Gaussian", "before", "σ \(scale)", width: Double(scale)) { LegacySampler.discreteGaussian(variance: variance, using: &$0) })
results.append(measure("discrete Gaussian", "after", "σ \(scale)", width: Double(scale)) { ExactSampler.discreteGaussian(variance: variance, using: &$0) })

let commit: String = {
    func git(_ arguments: [String]) -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["git"] + arguments
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return "" }
        p.waitUntilExit()
        return String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
    let head = git(["rev-parse", "--short", "HEAD"])
    guard !head.isEmpty else { return "unknown" }
    return head + (git(["status", "--porcelain", "--untracked-files=no"]).isEmpty ? "" : "+changes")
}()
let cpu =
    ((try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? "").split(separator: "\n").first { $0.hasPrefix("model name") }
    .map { $0.split(separator: ":", maxSplits: 1)[1].trimmingCharacters(in: .whitespaces) } ?? "unknown CPU"
let cores = ProcessInfo.processInfo.activeProcessorCount

print("Exact samplers' time against |x|: \(draws) draws each, ChaCha20 seeded \(seed); commit \(commit); \(cpu), \(cores) cores")
func f(_ x: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", x) }
print("| sampler | version | ns/draw | words/draw | corr(|x|, words) | corr(|x|, ns) | rank corr(|x|, ns) | median ns, |x| < b | b ≤ |x| < 3b | |x| ≥ 3b |")
print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for r in results {
    print(
        "| \(r.sampler), \(r.parameter) | \(r.version) | \(f(r.nsPerDraw, 0)) | \(f(r.wordsPerDraw, 1)) | \(f(r.corrWords, 3)) | \(f(r.corrTime, 3)) | \(f(r.rankCorrTime, 3)) | "
            + "\(f(r.buckets[0].medianNs, 0)) | \(f(r.buckets[1].medianNs, 0)) | \(f(r.buckets[2].medianNs, 0)) |")
}
func json(_ r: Result) -> String {
    #"{"sampler":"\#(r.sampler)","version":"\#(r.version)","parameter":"\#(r.parameter)","ns_per_draw":\#(f(r.nsPerDraw, 1)),"words_per_draw":\#(f(r.wordsPerDraw, 2)),"#
        + #""corr_abs_x_words":\#(f(r.corrWords, 4)),"corr_abs_x_ns":\#(f(r.corrTime, 4)),"rank_corr_abs_x_ns":\#(f(r.rankCorrTime, 4)),"#
        + #""median_ns_by_abs_x":[\#(r.buckets.map { f($0.medianNs, 1) }.joined(separator: ","))],"draws_by_abs_x":[\#(r.buckets.map { String($0.count) }.joined(separator: ","))]}"#
}
print(
    #"{"benchmark":"sampler-timing","commit":"\#(commit)","machine":"\#(cpu)","cores":\#(cores),"draws":\#(draws),"scale":\#(scale),"seed":\#(seed),"results":[\#(results.map(json).joined(separator: ","))]}"#
)
