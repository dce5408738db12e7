// Erasure latency: how long it takes to erase a person with 1,000 interactions from a store of
// 1,000,000 interactions and an iALS model over 100,000 items (rows, key, user vector, and an exact
// re-solve of every item they touched, saved), how long a server then takes to serve the patched
// model (read, diff, patch the serving structures and index), and how long their export takes.
// The peer is what erasure costs without exact unlearning: a full retrain on the remaining data
// (Tact's iALS here; run.sh beside this file adds the Python library implicit on the same matrix).
// Prints a table and one JSON line.
//
//   swift run -c release erasure-latency [--data DIR] [--items 100000] [--interactions 1000000]
//        [--people 25000] [--heavy 30] [--heavy-events 1000] [--factors 64] [--iterations 8] [--matrix FILE]
import Foundation
import TactCore
import TactEngine
import TactRecommend
import TactStore

func argument(_ name: String, _ fallback: Int) -> Int {
    let args = CommandLine.arguments
    guard let i = args.firstIndex(of: "--" + name), i + 1 < args.count, let v = Int(args[i + 1]) else { return fallback }
    return v
}
func text(_ name: String) -> String? {
    let args = CommandLine.arguments
    guard let i = args.firstIndex(of: "--" + name), i + 1 < args.count else { return nil }
    return args[i + 1]
}
func note(_ s: String) { FileHandle.standardError.write(Data((s + "\n").utf8)) }

let itemCount = argument("items", 100_000), total = argument("interactions", 1_000_000)
let people = argument("people", 25_000), heavy = argument("heavy", 30), heavyEvents = argument("heavy-events", 1_000)
let factors = argument("factors", 64), iterations = argument("iterations", 8)
let dataPath = text("data") ?? NSTemporaryDirectory() + "tact-erasure-bench-\(getpid())"

/// An item rank drawn with weight ∝ (rank + 1)^−0.9: a long tail of rarely touched items.
func tailRank(_ random: inout SplitMix64, _ count: Int) -> Int {
    let a = 0.9, u = random.unit()
    return min(count - 1, Int(pow(u * (pow(Double(count + 1), 1 - a) - 1) + 1, 1 / (1 - a)) - 1))
}

// 1. The store: background people with power-law popularity, plus `heavy` people with exactly
//    `heavyEvents` distinct items each (some events with free text, so each has a key to shred).
try? FileManager.default.removeItem(atPath: dataPath)
let directory = DataDirectory(path: dataPath, environment: [:])
try directory.initialize(mode: .optIn)
let engine = try directory.open()
var random = SplitMix64(seed: 7)
var events: [IncomingInteraction] = []
events.reserveCapacity(total)
let background = total - heavy * heavyEvents
for n in 0..<background {
    // Activity is skewed too: person ranks follow the same tail.
    let person = tailRank(&random, people)
    events.append(
        IncomingInteraction(
            user: "u\(person)", item: "i\(tailRank(&random, itemCount))", kind: .play,
            timestamp: 1_700_000_000 + Int64(n % 10_000_000)))
}
for h in 0..<heavy {
    var seen = Set<Int>()
    while seen.count < heavyEvents {
        let item = tailRank(&random, itemCount)
        guard seen.insert(item).inserted else { continue }
        events.append(
            IncomingInteraction(
                user: "heavy\(h)", item: "i\(item)", kind: .play, timestamp: 1_700_000_000 + Int64(seen.count),
                context: seen.count % 10 == 0 ? "note \(seen.count) from heavy \(h)" : nil))
    }
}
var started = Date()
var options = IngestOptions(grants: [.personalization, .modelTraining], grantNote: "benchmark")
options.expectedRecords = events.count
let report = try Ingestor(engine: engine).ingest(events, options: options)
let importSeconds = Date().timeIntervalSince(started)
events = []
note("imported \(report.stored) events of \(report.subjectsStored) people in \(String(format: "%.1f", importSeconds)) s")

// 2. The model, trained and saved as `tact train` does.
var configuration = ALSConfiguration()
configuration.factors = factors
configuration.iterations = iterations
configuration.regularization = 0.05
let snapshot = try TrainingSnapshot.read(from: engine)
started = Date()
let trained = try ModelTrainer.train(snapshot.data.matrix, spec: .als(configuration))
let trainSeconds = Date().timeIntervalSince(started)
let modelPath = ModelDirectory(directory: engine.directory).modelPath(algorithm: "als")
try ModelDirectory(directory: engine.directory).create()
try ModelStorage.save(trained, algorithm: "als", data: snapshot.data, parameters: [:], to: modelPath)
note(
    "trained \(snapshot.data.matrix.rows) × \(snapshot.data.matrix.columns) (\(snapshot.data.matrix.nonZeros) cells) in \(String(format: "%.1f", trainSeconds)) s"
)
if let matrixPath = text("matrix") {
    // The same matrix for the peer (implicit), as user,item,strength lines.
    var out = ""
    let m = snapshot.data.matrix
    for u in 0..<m.rows { for n in m.rowStart[u]..<m.rowStart[u + 1] { out += "\(u),\(m.indices[n]),\(m.values[n])\n" } }
    try out.write(toFile: matrixPath, atomically: true, encoding: .utf8)
}

// 3. What serves: the model with its index (100,000 items ≥ the index threshold).
let (served, metadata) = try ModelStorage.loadServable(path: modelPath)
var recommender = try ModelRecommender(engine: engine, served: served, itemIDs: metadata.items)

// 4. Export, erase, and serve the patched model, for each heavy person.
var parts: [[Double]] = []
var exportMS: [Double] = [], eraseMS: [Double] = [], serveMS: [Double] = [], resolved: [Int] = [], exportBytes: [Int] = []
for h in 0..<heavy {
    let user = "heavy\(h)"
    started = Date()
    let document = try SubjectExporter(engine: engine).export(user: user, actor: "benchmark", recommender: recommender)
    let bytes = try document.jsonData().count
    exportMS.append(Date().timeIntervalSince(started) * 1000)
    exportBytes.append(bytes)
    precondition(document.interactions.count == heavyEvents, "the export must hold every interaction")

    started = Date()
    let result = try SubjectRights(engine: engine).erase(user: user, actor: "benchmark")
    eraseMS.append(Date().timeIntervalSince(started) * 1000)
    precondition(result.removed.interactions == heavyEvents && result.model.userVectorsDropped == 1 && result.keyShredded)
    resolved.append(result.model.itemsResolved)
    parts.append([result.model.readSeconds, result.model.strengthsSeconds, result.model.solveSeconds, result.model.writeSeconds].map { $0 * 1000 })

    // What a server does next: read the saved model, find the changed items, patch the serving structures.
    started = Date()
    let (stored, _) = try ModelFile.read(from: modelPath)
    guard let patch = recommender.model.patched(by: stored) else { fatalError("an ALS model is served, patched in place") }
    recommender = recommender.serving(patch.model)
    serveMS.append(Date().timeIntervalSince(started) * 1000)
    note(
        "erased \(user): \(String(format: "%.0f", eraseMS.last!)) ms (\(result.model.itemsResolved) items re-solved), served in \(String(format: "%.0f", serveMS.last!)) ms, export \(String(format: "%.0f", exportMS.last!)) ms"
    )
}

// 5. The peer: a full retrain on what remains (what erasure costs without exact unlearning).
let remaining = try TrainingSnapshot.read(from: engine)
started = Date()
_ = try ModelTrainer.train(remaining.data.matrix, spec: .als(configuration))
let retrainSeconds = Date().timeIntervalSince(started)

func percentile(_ values: [Double], _ p: Double) -> Double {
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, Int((p * Double(sorted.count - 1)).rounded()))]
}
let commit: String = {
    let p = Process(); p.executableURL = URL(fileURLWithPath: "/usr/bin/git"); p.arguments = ["rev-parse", "--short", "HEAD"]
    let pipe = Pipe(); p.standardOutput = pipe; try? p.run(); p.waitUntilExit()
    return String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
}()
let cpu =
    ((try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? "").split(separator: "\n").first { $0.hasPrefix("model name") }
    .map { String($0.split(separator: ":")[1]).trimmingCharacters(in: .whitespaces) } ?? "unknown"
let cores = ProcessInfo.processInfo.activeProcessorCount
let fullServe = zip(eraseMS, serveMS).map { $0 + $1 }
print(
    "Erasure, commit \(commit), \(cpu), \(cores) cores; store \(report.stored) interactions, \(snapshot.data.matrix.rows) people × \(itemCount) items, \(factors) factors; \(heavy) people with \(heavyEvents) interactions each erased one after another"
)
print("")
print("step                                           p50 ms     p99 ms")
print("export (JSON, with recommendations)       \(String(format: "%9.1f  %9.1f", percentile(exportMS, 0.5), percentile(exportMS, 0.99)))")
print("erase (store, key, model re-solve, save)  \(String(format: "%9.1f  %9.1f", percentile(eraseMS, 0.5), percentile(eraseMS, 0.99)))")
print("serve the patched model (server)          \(String(format: "%9.1f  %9.1f", percentile(serveMS, 0.5), percentile(serveMS, 0.99)))")
print("erase + serve                             \(String(format: "%9.1f  %9.1f", percentile(fullServe, 0.5), percentile(fullServe, 0.99)))")
for (n, name) in ["  of which: read the saved model", "  read the touched items' data", "  re-solve the items (exact)", "  write the model"].enumerated() {
    let values = parts.map { $0[n] }
    print(name.padding(toLength: 41, withPad: " ", startingAt: 0) + String(format: "%9.1f  %9.1f", percentile(values, 0.5), percentile(values, 0.99)))
}
print("full retrain without them (Tact iALS)     \(String(format: "%9.1f", retrainSeconds * 1000))")
print("")
print(
    "items re-solved per erasure: median \(resolved.sorted()[resolved.count / 2]); export size median \(exportBytes.sorted()[exportBytes.count / 2] / 1024) KiB"
)
print("erase + serve p50 is \(String(format: "%.3f", percentile(fullServe, 0.5) / (retrainSeconds * 1000)))× the time of a full retrain")
print(
    "{\"benchmark\":\"erasure\",\"commit\":\"\(commit)\",\"machine\":\"\(cpu)\",\"cores\":\(cores),\"interactions\":\(report.stored),\"items\":\(itemCount),\"people\":\(snapshot.data.matrix.rows),\"factors\":\(factors),\"iterations\":\(iterations),\"erased\":\(heavy),\"events_per_person\":\(heavyEvents),"
        + "\"export_ms_p50\":\(percentile(exportMS, 0.5)),\"export_ms_p99\":\(percentile(exportMS, 0.99)),\"erase_ms_p50\":\(percentile(eraseMS, 0.5)),\"erase_ms_p99\":\(percentile(eraseMS, 0.99)),"
        + "\"serve_patch_ms_p50\":\(percentile(serveMS, 0.5)),\"serve_patch_ms_p99\":\(percentile(serveMS, 0.99)),\"erase_and_serve_ms_p50\":\(percentile(fullServe, 0.5)),\"erase_and_serve_ms_p99\":\(percentile(fullServe, 0.99)),"
        + "\"tact_full_retrain_ms\":\(retrainSeconds * 1000),\"train_seconds\":\(trainSeconds),\"import_seconds\":\(importSeconds)}")
if text("data") == nil { try? FileManager.default.removeItem(atPath: dataPath) }
