import Foundation
import TactCore
import TactTestSupport
import Testing

@testable import TactEngine

@Suite("SyntheticData")
struct SyntheticDataTests {
    static let spec = SyntheticDataSpec(users: 500, items: 2_000, interactions: 50_000, seed: 42)

    func collect(_ generator: SyntheticDataGenerator) -> [IncomingInteraction] {
        var events: [IncomingInteraction] = []
        events.reserveCapacity(generator.spec.interactions)
        generator.forEachInteraction { events.append($0) }
        return events
    }

    /// The 0-based index in an id such as "u12" or "i7".
    func index(_ id: String, prefix: Character) -> Int? {
        guard id.first == prefix, let n = Int(id.dropFirst()), n >= 1 else { return nil }
        return n - 1
    }

    // MARK: - Random numbers

    @Test func seededRandomIsDeterministicAndMatchesReferenceValues() {
        var a = SeededRandom(seed: 7)
        var b = SeededRandom(seed: 7)
        var c = SeededRandom(seed: 8)
        let first = (0..<100).map { _ in a.next() }
        #expect(first == (0..<100).map { _ in b.next() })
        #expect(first != (0..<100).map { _ in c.next() })
        // SplitMix64 from seed 0: the published first output.
        var mixer = SplitMix64(state: 0)
        #expect(mixer.next() == 0xE220_A839_7B1D_CDAF)
    }

    @Test func seededRandomHelpersStayInRange() {
        var r = SeededRandom(seed: 1)
        var sum = 0.0
        var sumSquares = 0.0
        for _ in 0..<20_000 {
            let d = r.nextDouble()
            #expect(d >= 0 && d < 1)
            let i = r.nextInt(below: 7)
            #expect((0..<7).contains(i))
            let z = r.nextNormal()
            sum += z
            sumSquares += z * z
        }
        let mean = sum / 20_000
        #expect(abs(mean) < 0.05)
        #expect(abs(sumSquares / 20_000 - mean * mean - 1) < 0.05)
    }

    @Test func aliasTableFollowsItsWeights() {
        let table = AliasTable(weights: [1, 0, 3, 6, -2, .nan])
        var r = SeededRandom(seed: 3)
        var counts = [Int](repeating: 0, count: table.count)
        let n = 100_000
        for _ in 0..<n { counts[table.sample(&r)] += 1 }
        #expect(counts[1] == 0 && counts[4] == 0 && counts[5] == 0)
        #expect(abs(Double(counts[0]) / Double(n) - 0.1) < 0.01)
        #expect(abs(Double(counts[2]) / Double(n) - 0.3) < 0.01)
        #expect(abs(Double(counts[3]) / Double(n) - 0.6) < 0.01)

        let uniform = AliasTable(weights: [0, 0, 0, 0])
        var seen = Set<Int>()
        for _ in 0..<1_000 { seen.insert(uniform.sample(&r)) }
        #expect(seen == [0, 1, 2, 3])
    }

    // MARK: - Generator

    @Test func sameSeedGivesTheSameDataAndAnotherSeedDoesNot() {
        let a = collect(SyntheticDataGenerator(spec: Self.spec))
        let b = collect(SyntheticDataGenerator(spec: Self.spec))
        var other = Self.spec
        other.seed = 43
        let c = collect(SyntheticDataGenerator(spec: other))
        #expect(a == b)
        #expect(a != c)
        #expect(SyntheticDataGenerator(spec: Self.spec).items() == SyntheticDataGenerator(spec: Self.spec).items())
        #expect(SyntheticDataGenerator(spec: Self.spec).items() != SyntheticDataGenerator(spec: other).items())
    }

    @Test(arguments: [0, 1, 7, 499, 500, 501, 12_345])
    func generatesExactlyTheRequestedCount(count: Int) {
        let spec = SyntheticDataSpec(users: 500, items: 300, interactions: count, seed: 5)
        var n = 0
        SyntheticDataGenerator(spec: spec).forEachInteraction { _ in n += 1 }
        #expect(n == count)
    }

    @Test func idsAreInRangeAndEveryUserActs() {
        let generator = SyntheticDataGenerator(spec: Self.spec)
        let items = generator.items()
        #expect(items.count == 2_000)
        #expect(items.first?.id == "i1" && items.last?.id == "i2000")
        var usersSeen = Set<Int>()
        for e in collect(generator) {
            let u = index(e.user, prefix: "u")
            let i = index(e.item, prefix: "i")
            #expect(u != nil && u! < 500)
            #expect(i != nil && i! < 2_000)
            if let u { usersSeen.insert(u) }
        }
        #expect(usersSeen.count == 500)
    }

    @Test func fewerEventsThanUsersGoToDistinctUsers() {
        let spec = SyntheticDataSpec(users: 1_000, items: 50, interactions: 300, seed: 9)
        var users = Set<String>()
        SyntheticDataGenerator(spec: spec).forEachInteraction { users.insert($0.user) }
        #expect(users.count == 300)
    }

    @Test func itemsCarryTheirClusterAsFirstTag() {
        let generator = SyntheticDataGenerator(spec: Self.spec)
        let windowStart = generator.spec.endTimestamp - 180 * 86_400
        var clustersSeen = Set<Int>()
        for (i, item) in generator.items().enumerated() {
            let c = generator.clusterOfItem(i)
            clustersSeen.insert(c)
            #expect(item.tags.first == SyntheticDataGenerator.clusterName(c))
            #expect(!item.title.isEmpty)
            let created = item.createdAt ?? 0
            #expect(created < windowStart && created >= windowStart - 5 * 365 * 86_400)
        }
        #expect(clustersSeen.count == 12)
    }

    @Test func popularityFollowsAPowerLaw() {
        var counts = [Int](repeating: 0, count: 2_000)
        SyntheticDataGenerator(spec: Self.spec).forEachInteraction { counts[index($0.item, prefix: "i")!] += 1 }
        let sorted = counts.sorted(by: >)
        let top1Percent = sorted.prefix(20).reduce(0, +)
        #expect(Double(top1Percent) / 50_000 > 0.10)
        // The hits are spread over clusters, not packed into one.
        let generator = SyntheticDataGenerator(spec: Self.spec)
        let topItems = counts.indices.sorted { counts[$0] > counts[$1] }.prefix(20)
        #expect(Set(topItems.map { generator.clusterOfItem($0) }).count >= 5)
    }

    @Test func usersPreferTheirClusters() {
        let generator = SyntheticDataGenerator(spec: Self.spec)
        var total = [Int](repeating: 0, count: 500)
        var inTop = [Int](repeating: 0, count: 500)
        var inPreferred = 0
        generator.forEachInteraction { e in
            let u = index(e.user, prefix: "u")!
            let c = generator.clusterOfItem(index(e.item, prefix: "i")!)
            let preferred = generator.preferredClustersOfUser(u)
            total[u] += 1
            if c == preferred[0] { inTop[u] += 1 }
            if preferred.contains(c) { inPreferred += 1 }
        }
        let share = Double(inTop.reduce(0, +)) / Double(total.reduce(0, +))
        #expect(share > 3.0 / 12)
        #expect(Double(inPreferred) / 50_000 > 0.75)
        for u in 0..<500 {
            let preferred = generator.preferredClustersOfUser(u)
            #expect((1...3).contains(preferred.count) && Set(preferred).count == preferred.count)
        }
    }

    @Test func activityIsSkewed() {
        var perUser = [Int](repeating: 0, count: 500)
        SyntheticDataGenerator(spec: Self.spec).forEachInteraction { perUser[index($0.user, prefix: "u")!] += 1 }
        let sorted = perUser.sorted(by: >)
        // The most active 10% of users produce well over 10% of the events.
        #expect(Double(sorted.prefix(50).reduce(0, +)) / 50_000 > 0.25)
        #expect(sorted.last! >= 1)
    }

    @Test func kindsValuesAndTimestampsAreRealistic() {
        let generator = SyntheticDataGenerator(spec: Self.spec)
        let end = generator.spec.endTimestamp
        var kinds: [InteractionKind: Int] = [:]
        var ratingsPreferred: [Double] = []
        var ratingsOther: [Double] = []
        generator.forEachInteraction { e in
            kinds[e.kind, default: 0] += 1
            #expect(e.timestamp >= end - 180 * 86_400 && e.timestamp < end)
            switch e.kind {
            case .rating:
                #expect([1, 2, 3, 4, 5].contains(e.value))
                let u = index(e.user, prefix: "u")!
                let c = generator.clusterOfItem(index(e.item, prefix: "i")!)
                if generator.preferredClustersOfUser(u).contains(c) { ratingsPreferred.append(e.value) } else { ratingsOther.append(e.value) }
            case .skip, .dislike: #expect(e.value == -1)
            default: #expect(e.value == 1)
            }
        }
        #expect(Set(kinds.keys) == Set(InteractionKind.allCases))
        #expect(kinds[.view]! + kinds[.play]! > 25_000)
        #expect(kinds[.purchase]! < kinds[.like]!)
        let meanPreferred = ratingsPreferred.reduce(0, +) / Double(ratingsPreferred.count)
        let meanOther = ratingsOther.reduce(0, +) / Double(ratingsOther.count)
        #expect(meanPreferred > meanOther + 0.5)
    }

    @Test func someEventsCarryContextsIncludingFakePersonalData() {
        var contexts: [String] = []
        SyntheticDataGenerator(spec: Self.spec).forEachInteraction { if let c = $0.context { contexts.append(c) } }
        // 0.5% of 50,000 is about 250.
        #expect(contexts.count > 150 && contexts.count < 400)

        var spec = Self.spec
        spec.contextRate = 1
        spec.interactions = 5_000
        var personal: [String] = []
        SyntheticDataGenerator(spec: spec).forEachInteraction { e in
            if let c = e.context, c.contains("@") || c.contains("555-") { personal.append(c) }
        }
        #expect(personal.count > 500)
        for c in personal {
            if c.contains("@") { #expect(c.contains("@example.com")) }
            if c.contains("555-") { #expect(c.contains("555-01")) }
        }
    }

    @Test func contextRateDoesNotShiftTheEvents() {
        var quiet = Self.spec
        quiet.contextRate = 0
        var noisy = Self.spec
        noisy.contextRate = 0.5
        let a = collect(SyntheticDataGenerator(spec: quiet))
        let b = collect(SyntheticDataGenerator(spec: noisy))
        #expect(a.count == b.count)
        #expect(zip(a, b).allSatisfy { $0.user == $1.user && $0.item == $1.item && $0.timestamp == $1.timestamp && $0.kind == $1.kind })
        #expect(a.allSatisfy { $0.context == nil })
    }

    @Test func outOfRangeSpecsAreClamped() {
        var spec = SyntheticDataSpec(users: 0, items: -3, interactions: -10, seed: 0)
        spec.clusters = 50
        spec.popularityExponent = .nan
        spec.contextRate = 7
        spec.endTimestamp = .min
        let generator = SyntheticDataGenerator(spec: spec)
        #expect(generator.spec.users == 1 && generator.spec.items == 1 && generator.spec.interactions == 0)
        #expect(generator.spec.clusters == 1)
        #expect(generator.spec.contextRate == 1)
        #expect(generator.items().count == 1)

        var tiny = SyntheticDataSpec(users: 1, items: 1, interactions: 20, seed: 0)
        tiny.endTimestamp = .min
        var n = 0
        SyntheticDataGenerator(spec: tiny).forEachInteraction { e in
            #expect(e.user == "u1" && e.item == "i1" && e.timestamp >= 0)
            n += 1
        }
        #expect(n == 20)
    }

    // MARK: - Files

    @Test func writtenFilesRoundTripThroughTheReaders() throws {
        let dir = TemporaryDirectory("synthetic")
        var spec = SyntheticDataSpec(users: 200, items: 400, interactions: 3_000, seed: 11)
        spec.contextRate = 0.5
        let generator = SyntheticDataGenerator(spec: spec)
        let paths = try generator.write(to: dir.path + "/nested/out")

        let itemLines = try String(contentsOfFile: paths.items, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(itemLines.first == "id,title,tags,created")
        let eventText = try String(contentsOfFile: paths.interactions, encoding: .utf8)
        #expect(eventText.hasPrefix("user,item,value,timestamp,kind,context\n"))
        #expect(eventText.hasSuffix("\n"))

        let itemReader = try DelimitedItemReader(path: paths.items, delimiter: UInt8(ascii: ","), quoting: true)
        var readItems: [Item] = []
        while let item = try itemReader.next() { readItems.append(item) }
        #expect(readItems == generator.items())

        let eventReader = try DelimitedInteractionReader(path: paths.interactions, delimiter: UInt8(ascii: ","), quoting: true, defaultKind: .view)
        var readEvents: [IncomingInteraction] = []
        while let e = try eventReader.next() { readEvents.append(e) }
        let expected = collect(generator)
        #expect(readEvents.count == 3_000)
        #expect(readEvents == expected)

        // Quoting: a context with both a comma and a quote came back intact.
        let tricky = expected.compactMap(\.context).filter { $0.contains(",") && $0.contains("\"") }
        #expect(!tricky.isEmpty)
        #expect(eventText.contains("\"my kid said \"\"again, again!\"\"\""))
        // Numbers are compact: no "1.0".
        #expect(!eventText.contains(".0,"))
    }

    @Test func writeReplacesExistingFiles() throws {
        let dir = TemporaryDirectory("synthetic")
        let big = SyntheticDataGenerator(spec: SyntheticDataSpec(users: 50, items: 50, interactions: 2_000, seed: 1))
        let small = SyntheticDataGenerator(spec: SyntheticDataSpec(users: 5, items: 5, interactions: 10, seed: 1))
        _ = try big.write(to: dir.path)
        let paths = try small.write(to: dir.path)
        let lines = try String(contentsOfFile: paths.interactions, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 11)
        let itemLines = try String(contentsOfFile: paths.items, encoding: .utf8).split(separator: "\n")
        #expect(itemLines.count == 6)
    }

    @Test func writeFailsClearlyWhenTheDirectoryCannotBeMade() throws {
        let dir = TemporaryDirectory("synthetic")
        let file = dir.write("blocker", "not a directory")
        let generator = SyntheticDataGenerator(spec: SyntheticDataSpec(users: 1, items: 1, interactions: 1, seed: 1))
        #expect(throws: EngineError.self) { try generator.write(to: file + "/sub") }
    }
}
