// Privacy-preserving advertising: how fast an ad is chosen among 10,000 active campaigns, and how far
// a differentially private report at ε = 1 is from the true counts of a 100,000-impression campaign.
//
//   swift run -c release ad-selection [--campaigns 10000] [--people 5000] [--requests 2000] [--reports 1000]
//
// 1. The selection kernel (AdSelector): 10,000 campaigns over a 50-topic taxonomy (60% interest-targeted
//    with one or two topics, 40% contextual), a person with three topics on a page with two.
// 2. End to end (AdsService.serve) on an embedded SQLite store: the person's consent, history and
//    topics read, today's frequency counts read, the ranking, and the impression written.
// 3. Reports: 100,000 impressions over 25,000 people (1 to 8 each), 2% click rate, 10% of clicks
//    convert; each report caps contributions (10 impressions, 3 clicks, 1 conversion per person) and
//    adds discrete Laplace noise with ε = 1 split over the three counts. The error against the true
//    counts over many reports, and the share of it that is capping (bias) rather than noise.
// Prints a table and one JSON line.
import Foundation
import TactCore
import TactEngine
import TactPrivacy
import TactRecommend
import TactStore

func option(_ name: String, _ fallback: Int) -> Int {
    let args = CommandLine.arguments
    guard let i = args.firstIndex(of: "--" + name), i + 1 < args.count, let v = Int(args[i + 1]) else { return fallback }
    return v
}
let campaignCount = option("campaigns", 10_000), people = option("people", 5_000), requests = option("requests", 2_000), reports = option("reports", 1_000)
var random = SplitMix64(seed: 42)
let topics = (0..<50).map { "topic\($0)" }
@MainActor func pick(_ n: Int) -> [String] {
    var out: [String] = []
    while out.count < n { let t = topics[Int(random.next(below: 50))]; if !out.contains(t) { out.append(t) } }
    return out
}
func percentile(_ xs: [Double], _ q: Double) -> Double { let s = xs.sorted(); return s[min(s.count - 1, Int(Double(s.count) * q))] }

var campaigns: [AdCampaign] = []
for i in 0..<campaignCount {
    let interest = random.unit() < 0.6
    campaigns.append(
        AdCampaign(
            id: "c\(i)", advertiser: "a\(i % 2_000)", name: "c\(i)", creative: .init(headline: "Ad \(i)", url: "https://example.com/\(i)"),
            topics: interest ? pick(1 + Int(random.next(below: 2))) : [], contextTopics: interest ? [] : pick(2),
            bidCPM: 0.5 + random.unit() * 5, dailyBudget: 1_000_000, frequencyCap: 3, createdAt: 0))
}

// MARK: 1. The kernel
let selector = AdSelector(minimumAudience: 50)
var audience: [String: Int] = [:]
for c in campaigns where !c.topics.isEmpty { audience[c.id] = 40 + Int(random.next(below: 400)) }
var totals: [String: AdSelector.Totals] = [:]
for c in campaigns { totals[c.id] = .init(impressions: Int(random.next(below: 5_000)), clicks: Int(random.next(below: 60)), spentToday: 0) }
let index = AdCampaignIndex(campaigns)
var kernelTimes: [Double] = [], scanTimes: [Double] = []
for _ in 0..<requests {
    let personTopics = pick(3), context = pick(2)
    let started = DispatchTime.now().uptimeNanoseconds
    let indexed = selector.select(
        index, k: 2, topics: personTopics, contextTopics: context, totals: totals, shownToday: [:], audience: audience, dayFraction: 0.5)
    let middle = DispatchTime.now().uptimeNanoseconds
    let scanned = selector.select(
        campaigns, k: 2, topics: personTopics, contextTopics: context, totals: totals, shownToday: [:], audience: audience, dayFraction: 0.5)
    kernelTimes.append(Double(middle - started) / 1e6)
    scanTimes.append(Double(DispatchTime.now().uptimeNanoseconds - middle) / 1e6)
    precondition(indexed == scanned, "the index must choose what a full scan chooses")
}

// MARK: 2. End to end on SQLite
let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tact-ads-bench-\(UUID().uuidString)").path
defer { try? FileManager.default.removeItem(atPath: folder) }
let directory = DataDirectory(path: folder, database: folder + "/tact.sqlite", environment: [:])
try directory.initialize(mode: .optIn)
let engine = try directory.open()
let catalog = (0..<1_000).map { Item(id: "i\($0)", title: "Item \($0)", tags: [topics[$0 % 50], topics[($0 * 7 + 3) % 50]]) }
try engine.store.write { w in for item in catalog { _ = try w.upsertItem(item) } }
let now = Int64(Date().timeIntervalSince1970)
var events: [IncomingInteraction] = []
for p in 0..<people {
    let liked = Int(random.next(below: 50))
    for _ in 0..<12 {
        let item = random.unit() < 0.8 ? liked + 50 * Int(random.next(below: 20)) : Int(random.next(below: 1_000))
        events.append(IncomingInteraction(user: "u\(p)", item: "i\(item)", kind: .play, timestamp: now - Int64(random.next(below: 6 * 86_400))))
    }
}
_ = try Ingestor(engine: engine).ingest(events, options: IngestOptions(grants: [.personalization, .advertising], grantNote: "benchmark"))
let definitions = try campaigns.map { c in
    AdCampaignRecord(
        id: c.id, advertiser: c.advertiser, status: "active", createdAt: 0,
        definition: String(decoding: try JSONEncoder().encode(c), as: UTF8.self))
}
try engine.store.write { w in for d in definitions { try w.upsertAdCampaign(d) } }
let ads = AdsService(engine: engine)
let refreshStarted = Date()
try ads.refresh()
let refreshSeconds = Date().timeIntervalSince(refreshStarted)
var serveTimes: [Double] = [], servedInterest = 0
for r in 0..<requests {
    let person = engine.pseudonymizer.pseudonym(for: "u\(Int(random.next(below: UInt64(people))))")
    let started = DispatchTime.now().uptimeNanoseconds
    let served = try ads.serve(to: person, contextItem: "i\(r % 1_000)", k: 1)
    serveTimes.append(Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6)
    if served.first?.personal == true { servedInterest += 1 }
}

// MARK: 3. Reports
var impressionsPer: [Int] = [], clicksPer: [Int] = [], conversionsPer: [Int] = []
var remaining = 100_000
for p in 0..<25_000 {
    let n = p == 24_999 ? remaining : min(remaining, 1 + Int(random.next(below: 8)))
    remaining -= n
    var clicks = 0, conversions = 0
    for _ in 0..<n where random.unit() < 0.02 { clicks += 1; if random.unit() < 0.1 { conversions += 1 } }
    impressionsPer.append(n); clicksPer.append(clicks); conversionsPer.append(conversions)
    if remaining == 0 { break }
}
let truth = [impressionsPer.reduce(0, +), clicksPer.reduce(0, +), conversionsPer.reduce(0, +)]
let caps = [10, 3, 1]
let capped = zip([impressionsPer, clicksPer, conversionsPer], caps).map { counts, cap in counts.reduce(0) { $0 + min($1, cap) } }
var generator = ChaCha20Generator(seed: 9)
var absoluteError = [0.0, 0.0, 0.0], suppressed = [0, 0, 0]
for _ in 0..<reports {
    let metrics = AggregateReport.release(
        [("impressions", impressionsPer, 10), ("clicks", clicksPer, 3), ("conversions", conversionsPer, 1)],
        epsilon: 1, minimumCount: 20, using: &generator)
    for m in 0..<3 {
        if let v = metrics[m].value { absoluteError[m] += abs(Double(v) - Double(truth[m])) } else { suppressed[m] += 1 }
    }
}
let meanError = (0..<3).map { absoluteError[$0] / Double(max(1, reports - suppressed[$0])) }

// MARK: Report
func f(_ v: Double, _ d: Int = 3) -> String { String(format: "%.\(d)f", v) }
print("Ad selection among \(campaignCount) active campaigns, one thread")
print("  kernel, scanning every campaign        p50 \(f(percentile(scanTimes, 0.5))) ms   p99 \(f(percentile(scanTimes, 0.99))) ms")
print("  kernel through the index                p50 \(f(percentile(kernelTimes, 0.5))) ms   p99 \(f(percentile(kernelTimes, 0.99))) ms")
print(
    "  end to end (AdsService.serve, SQLite)   p50 \(f(percentile(serveTimes, 0.5))) ms   p99 \(f(percentile(serveTimes, 0.99))) ms   (\(people) people, \(servedInterest) of \(requests) ads by interest; audiences rebuilt in \(f(refreshSeconds, 2)) s)"
)
print("")
print("DP reports at ε = 1 (split over 3 counts), \(reports) reports of a campaign of \(truth[0]) impressions")
print("  metric        true      capped    mean |error|   relative   bias from capping   suppressed")
for (m, name) in ["impressions", "clicks", "conversions"].enumerated() {
    print(
        "  \(name.padding(toLength: 12, withPad: " ", startingAt: 0))  \(String(truth[m]).padding(toLength: 8, withPad: " ", startingAt: 0))  \(String(capped[m]).padding(toLength: 8, withPad: " ", startingAt: 0))  \(f(meanError[m], 1).padding(toLength: 13, withPad: " ", startingAt: 0))  \(f(meanError[m] / Double(truth[m]) * 100, 2))%      \(truth[m] - capped[m])                  \(suppressed[m])"
    )
}
let json: [String: Any] = [
    "benchmark": "ad-selection", "campaigns": campaignCount, "people": people, "requests": requests,
    "scan_p50_ms": percentile(scanTimes, 0.5), "scan_p99_ms": percentile(scanTimes, 0.99), "kernel_p50_ms": percentile(kernelTimes, 0.5),
    "kernel_p99_ms": percentile(kernelTimes, 0.99),
    "serve_p50_ms": percentile(serveTimes, 0.5), "serve_p99_ms": percentile(serveTimes, 0.99), "audience_refresh_s": refreshSeconds,
    "report_epsilon": 1, "reports": reports, "true_counts": truth, "capped_counts": capped,
    "mean_absolute_error": meanError, "relative_error": (0..<3).map { meanError[$0] / Double(truth[$0]) }, "suppressed": suppressed
]
print(String(decoding: try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]), as: UTF8.self))
