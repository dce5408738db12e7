// PII detection throughput of the detector alone, timed the way the Presidio side of Benchmarks/pii
// is timed: the texts are read and decoded first, then only the detection is on the clock (findings
// with Unicode scalar and UTF-16 offsets, overlaps resolved), on one thread. `tact detect --jsonl`
// adds process start-up, JSON parsing and writing the findings; run.sh times that too.
//
//   swift run -c release pii-throughput CORPUS.jsonl [--field text] [--passes 7]
//
// Prints each pass, the best and the median in MB/s (10^6 bytes of UTF-8 text per second), and one
// JSON line.
import Foundation
import TactCore
import TactPrivacy

let args = Array(CommandLine.arguments.dropFirst())
func option(_ name: String) -> String? {
    guard let i = args.firstIndex(of: "--" + name), i + 1 < args.count else { return nil }
    return args[i + 1]
}
guard let path = args.first, !path.hasPrefix("--") else {
    FileHandle.standardError.write(Data("usage: pii-throughput CORPUS.jsonl [--field text] [--passes 7]\n".utf8))
    exit(2)
}
let field = option("field") ?? "text"
guard let passes = Int(option("passes") ?? "7"), passes > 0 else {
    FileHandle.standardError.write(Data("--passes must be a positive whole number\n".utf8))
    exit(2)
}

struct InputFailure: Error, CustomStringConvertible { var message: String; var description: String { message } }

/// The decoded texts of the corpus, one per line.
func readTexts(_ path: String, field: String) throws -> [[UInt8]] {
    var texts: [[UInt8]] = []
    try LineStream(path: path).forEachLine { line, number in
        do {
            texts.append(try JSONStringField.value(of: field, in: line) ?? [])
        } catch {
            throw InputFailure(message: "\(path):\(number): \(error)")
        }
    }
    return texts
}

let texts: [[UInt8]]
do { texts = try readTexts(path, field: field) } catch {
    FileHandle.standardError.write(Data("pii-throughput: \(error)\n".utf8))
    exit(1)
}

let bytes = texts.reduce(0) { $0 + $1.count }
let detector = PIIDetector()
var scratch = PIIScratch()

/// One pass over every text; returns the seconds and the number of findings.
func pass(_ texts: [[UInt8]], _ detector: PIIDetector, _ scratch: inout PIIScratch) -> (Double, Int) {
    var findings = 0
    let start = DispatchTime.now().uptimeNanoseconds
    for text in texts {
        text.withUnsafeBufferPointer { detector.detect(utf8: $0, scratch: &scratch) }
        findings += scratch.findings.count
    }
    return (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, findings)
}

_ = pass(texts, detector, &scratch)  // warm-up: caches, page faults, lazily built tables
var rates: [Double] = []
var findingCount = 0
for p in 1...passes {
    let (seconds, found) = pass(texts, detector, &scratch)
    findingCount = found
    let rate = Double(bytes) / 1e6 / seconds
    rates.append(rate)
    print(String(format: "pass %d: %.3f s, %.1f MB/s", p, seconds, rate))
}
let sorted = rates.sorted()
let best = sorted.last!, median = sorted[sorted.count / 2]
print(
    String(
        format: "%d texts, %.2f MB, %d findings: best %.1f MB/s, median %.1f MB/s (detector only, one thread)",
        texts.count, Double(bytes) / 1e6, findingCount, best, median))
print(
    #"{"benchmark":"pii-detector-throughput","texts":\#(texts.count),"bytes":\#(bytes),"findings":\#(findingCount),"passes":\#(passes),"#
        + String(format: #""best_mb_per_s":%.2f,"median_mb_per_s":%.2f}"#, best, median))
