// Secure aggregation's cost for one device and for the server, for an item update of ITEMS × FACTORS
// values (default 1,682 × 64, MovieLens 100K's catalog), with N devices in the round (default 100 and
// 1,000), for the complete graph of Bonawitz et al. and the Harary graph of SecAgg+ (degree 32).
//
//   swift run -c release federated-cost [--devices 100,1000] [--items 1682] [--factors 64] [--degree 32] [--dropout 0.1] [--full-limit 200]
//
// Up to --full-limit devices the whole round runs: every device a real client with a full-length
// input. Above it, a round of N real devices runs on a one-word input (all the keys, shares,
// encryption and unmasking of N devices), and the length-dependent work (masks, encoding, the sum)
// is timed on one device's worth of data and added: the two parts are measured, not estimated
// from a formula. Both ways are printed for the smallest N so they can be compared. Prints a table
// and one JSON line.
import Foundation
import TactCore
import TactFederated
import TactPrivacy

func list(_ name: String, _ fallback: [Int]) -> [Int] {
    let args = CommandLine.arguments
    guard let i = args.firstIndex(of: "--" + name), i + 1 < args.count else { return fallback }
    return args[i + 1].split(separator: ",").compactMap { Int($0) }
}
func number(_ name: String, _ fallback: Double) -> Double {
    let args = CommandLine.arguments
    guard let i = args.firstIndex(of: "--" + name), i + 1 < args.count, let v = Double(args[i + 1]) else { return fallback }
    return v
}

let deviceCounts = list("devices", [100, 1000])
let items = Int(number("items", 1682)), factors = Int(number("factors", 64)), degree = Int(number("degree", 32))
let dropout = number("dropout", 0.1), fullLimit = Int(number("full-limit", 200))
let length = items * factors

struct Row: Codable {
    var devices: Int, graph: String, method: String
    var neighbors: Int
    var bytesUp: Double, bytesDown: Double
    var deviceMilliseconds: Double, serverMilliseconds: Double
    var roundSeconds: Double
    var exact: Bool
}

/// Keystream throughput of the mask expander, GB/s on one core.
func maskThroughput() -> Double {
    var v = [UInt32](repeating: 0, count: 1 << 20)
    let seed = [UInt8](repeating: 7, count: 32)
    MaskStream.apply(seed: seed, to: &v)
    let start = SecureAggregationRun.threadCPUSeconds()
    for _ in 0..<20 { MaskStream.apply(seed: seed, to: &v) }
    return Double(20 * 4 * v.count) / 1e9 / (SecureAggregationRun.threadCPUSeconds() - start)
}

func dropouts(_ n: Int, seed: UInt64) -> [DropoutStep?] {
    var r = SplitMix64(seed: seed)
    return (0..<n).map { _ in r.unit() < dropout ? DropoutStep.allCases[Int(r.next() % 4)] : nil }
}

func randomMessages(_ n: Int, _ m: Int) -> [[Float]] {
    var r = SplitMix64(seed: 3)
    return (0..<n).map { _ in (0..<m).map { _ in Float(r.unit() * 2 - 1) } }
}

/// The whole round with full-length inputs.
func fullRound(_ n: Int, _ graph: MaskGraph, _ name: String) throws -> Row {
    let messages = randomMessages(n, length)
    let o = try SecureAggregationRun.run(messages, codec: FixedPointCodec(participants: n, bound: 1), graph: graph, round: 1, dropouts: dropouts(n, seed: 5))
    let neighbors = graph == .complete ? n - 1 : min(degree, n - 1)
    return Row(
        devices: n, graph: name, method: "full round", neighbors: neighbors, bytesUp: o.cost.bytesUp, bytesDown: o.cost.bytesDown,
        deviceMilliseconds: o.cost.deviceSecondsMedian * 1000, serverMilliseconds: o.cost.serverSeconds * 1000,
        roundSeconds: o.cost.deviceSecondsMax + o.cost.serverSeconds + o.cost.bytesUp / FederatedTraining.uplinkBytesPerSecond
            + o.cost.bytesDown / FederatedTraining.downlinkBytesPerSecond,
        exact: o.largestError <= FixedPointCodec(participants: n, bound: 1).sumError(participants: n))
}

/// N real devices on a one-word input, plus the length-dependent work timed on real data.
func composedRound(_ n: Int, _ graph: MaskGraph, _ name: String) throws -> Row {
    let o = try SecureAggregationRun.run(
        randomMessages(n, 1), codec: FixedPointCodec(participants: n, bound: 1), graph: graph, round: 1,
        dropouts: dropouts(n, seed: 5))
    let neighbors = graph == .complete ? n - 1 : min(degree, n - 1)
    let droppedAfterShares = Int((Double(n) * dropout * 0.5).rounded())  // the share of dropouts whose masks the server removes
    let codec = FixedPointCodec(participants: n, bound: 1)
    let message = randomMessages(1, length)[0]
    let seed = [UInt8](repeating: 9, count: 32)
    // One device: encode, its self mask and one pairwise mask per neighbor.
    var start = SecureAggregationRun.threadCPUSeconds()
    var words = codec.encode(message).words
    for _ in 0...neighbors { MaskStream.apply(seed: seed, to: &words) }
    let deviceLength = SecureAggregationRun.threadCPUSeconds() - start
    // The server: add n inputs, remove n self masks and the masks of the dropped devices' neighbors, decode.
    start = SecureAggregationRun.threadCPUSeconds()
    var sum = [UInt32](repeating: 0, count: length)
    for _ in 0..<n { for i in 0..<length { sum[i] &+= words[i] } }
    _ = codec.decode(sum)
    let adding = SecureAggregationRun.threadCPUSeconds() - start
    let expansions = n + droppedAfterShares * neighbors
    let sample = min(expansions, 50)
    start = SecureAggregationRun.threadCPUSeconds()
    for _ in 0..<sample { MaskStream.apply(seed: seed, to: &sum, subtract: true) }
    let serverLength = adding + (SecureAggregationRun.threadCPUSeconds() - start) / Double(sample) * Double(expansions)
    let bytesUp = o.cost.bytesUp + 4 * Double(length - 1), bytesDown = o.cost.bytesDown
    let device = o.cost.deviceSecondsMedian + deviceLength
    return Row(
        devices: n, graph: name, method: "composed", neighbors: neighbors, bytesUp: bytesUp, bytesDown: bytesDown,
        deviceMilliseconds: device * 1000, serverMilliseconds: (o.cost.serverSeconds + serverLength) * 1000,
        roundSeconds: device + o.cost.serverSeconds + serverLength + bytesUp / FederatedTraining.uplinkBytesPerSecond
            + bytesDown / FederatedTraining.downlinkBytesPerSecond,
        exact: o.largestError <= codec.sumError(participants: n))
}

let commit =
    (try? String(contentsOfFile: ".git/HEAD", encoding: .utf8)).map { _ in
        let p = Process(); p.executableURL = URL(fileURLWithPath: "/usr/bin/env"); p.arguments = ["git", "rev-parse", "--short", "HEAD"]
        let pipe = Pipe(); p.standardOutput = pipe; try? p.run(); p.waitUntilExit()
        return String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    } ?? "unknown"
let cpu =
    ((try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? "").split(separator: "\n").first { $0.hasPrefix("model name") }
    .map { $0.split(separator: ":", maxSplits: 1)[1].trimmingCharacters(in: .whitespaces) } ?? "unknown CPU"
let machine = "\(ProcessInfo.processInfo.activeProcessorCount) cores, \(cpu)"

let throughput = maskThroughput()
print("Secure aggregation of a \(items) × \(factors) update (\(length) values); dropout \(dropout); commit \(commit); \(machine)")
print(String(format: "mask expansion (ChaCha20, 16 blocks per SIMD pass): %.2f GB/s on one core", throughput))
var rows: [Row] = []
for n in deviceCounts {
    for (graph, name) in [(MaskGraph.complete, "complete"), (MaskGraph.harary(degree: degree, seed: 1), "harary-\(degree)")] {
        if n <= fullLimit { rows.append(try fullRound(n, graph, name)) }
        if n > fullLimit || n == deviceCounts.min() { rows.append(try composedRound(n, graph, name)) }
        FileHandle.standardError.write(Data("  \(n) devices, \(name): done\n".utf8))
    }
}
func size(_ b: Double) -> String { b >= 1e6 ? String(format: "%.2f MB", b / 1e6) : String(format: "%.1f kB", b / 1e3) }
print("devices  graph       method      neighbors  up/device  down/device  device ms  server ms  round s  exact sum")
for r in rows {
    print(
        String(
            format: "%7d  %-10@  %-10@  %9d  %9@  %11@  %9.0f  %9.0f  %7.2f  %@", r.devices, r.graph as NSString, r.method as NSString, r.neighbors,
            size(r.bytesUp) as NSString, size(r.bytesDown) as NSString, r.deviceMilliseconds, r.serverMilliseconds, r.roundSeconds,
            (r.exact ? "yes" : "NO") as NSString))
}
print(
    "Bytes: the protocol's messages (the model download is not included). Round s: the slowest device and the server on one core each, plus transfers at 10 Mbit/s up and 50 Mbit/s down."
)
let json = try JSONEncoder().encode(["rows": rows])
var object = try JSONSerialization.jsonObject(with: json) as! [String: Any]
object["benchmark"] = "secure-aggregation-cost"
object["commit"] = commit
object["machine"] = machine
object["items"] = items
object["factors"] = factors
object["dropout"] = dropout
object["mask_gb_per_s"] = throughput
print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self))
