import Foundation
import TactCore

/// The size, seed and shape of a synthetic data set; out-of-range values are clamped, never rejected.
public struct SyntheticDataSpec: Sendable, Equatable {
    /// Number of users, "u1"..."uN"; clamped to at least 1.
    public var users: Int
    /// Number of catalog items, "i1"..."iM"; clamped to at least 1.
    public var items: Int
    /// Exact number of events to generate; clamped to at least 0.
    public var interactions: Int
    /// The seed: the same spec always gives the same data.
    public var seed: UInt64
    /// Number of latent taste clusters; clamped to 1...items.
    public var clusters: Int = 12
    /// Zipf exponent of item popularity (0 is uniform); clamped to 0...8.
    public var popularityExponent: Double = 1.0
    /// Fraction of events that carry a free-text context; clamped to 0...1.
    public var contextRate: Double = 0.005
    /// End of the event window in seconds since 1970 (events fall in the 180 days before); clamped to keep all times in 1970...9999.
    public var endTimestamp: Int64 = 1_767_225_600

    /// A spec with the default shape: 12 clusters, Zipf exponent 1, 0.5% contexts, ending 2026-01-01.
    public init(users: Int, items: Int, interactions: Int, seed: UInt64) {
        self.users = users
        self.items = items
        self.interactions = interactions
        self.seed = seed
    }

    /// The same spec with every value inside its valid range.
    func clamped() -> SyntheticDataSpec {
        var s = self
        s.users = min(max(users, 1), Int(Int32.max))
        s.items = min(max(items, 1), Int(Int32.max))
        s.interactions = max(interactions, 0)
        s.clusters = min(max(clusters, 1), s.items)
        s.popularityExponent = popularityExponent.isNaN ? 1 : min(max(popularityExponent, 0), 8)
        s.contextRate = contextRate.isNaN ? 0 : min(max(contextRate, 0), 1)
        let earliestEnd = SyntheticDataGenerator.catalogSeconds + SyntheticDataGenerator.windowSeconds
        s.endTimestamp = min(max(endTimestamp, earliestEnd), 253_402_300_799)
        return s
    }
}

/// A deterministic, realistic-looking catalog and interaction log for demos, tests and benchmarks.
public struct SyntheticDataGenerator: Sendable {
    // The model: items get Zipf popularity (ranks shuffled so that hits are spread over clusters)
    // and one taste cluster each. Users get 1 to 3 preferred clusters, a log-normal activity level
    // and their own active window; about 80% of a user's events come from their preferred clusters.

    /// The event window: 180 days before `endTimestamp`.
    static let windowSeconds: Int64 = 180 * 86_400
    /// Items are created in the 5 years before the event window starts.
    static let catalogSeconds: Int64 = 5 * 365 * 86_400
    /// Share of a user's events drawn from their preferred clusters.
    static let preferredShare = 0.8
    /// Share of contexts that hold fake personal data.
    static let personalContextShare = 0.2
    /// How a user's events split over their 1, 2 or 3 preferred clusters.
    static let clusterSplits: [[Double]] = [[1], [0.7, 0.3], [0.55, 0.3, 0.15]]
    /// The kinds, in the order of the kind weights below.
    static let kinds = InteractionKind.allCases
    /// Kind weights (view, click, play, like, dislike, skip, purchase, rating) for preferred-cluster items.
    static let preferredKindWeights: [Double] = [0.36, 0.12, 0.28, 0.10, 0.01, 0.04, 0.03, 0.06]
    /// Kind weights for items outside the user's preferred clusters.
    static let otherKindWeights: [Double] = [0.44, 0.12, 0.18, 0.03, 0.04, 0.12, 0.01, 0.06]

    /// Independent random streams, so that one part of the data never shifts another.
    enum Stream: UInt64 { case structure = 1, catalog, events, contexts }

    /// The spec in effect, after clamping.
    public let spec: SyntheticDataSpec

    /// Taste cluster of each item.
    private let itemCluster: [Int32]
    /// Item indices of each cluster.
    private let clusterMembers: [[Int32]]
    /// Samples a position in `clusterMembers[c]` by popularity.
    private let clusterSamplers: [AliasTable]
    /// Samples an item index by popularity over the whole catalog.
    private let globalSampler: AliasTable
    /// Preferred clusters of each user, most preferred first: `userClusterCount[u]` entries at `u * 3`.
    private let userClusters: [Int32]
    private let userClusterCount: [UInt8]
    /// Each user's active window, as an offset into the event window and a length, in seconds.
    private let userWindowOffset: [Int32]
    private let userWindowLength: [Int32]
    /// Samples a user index by activity level.
    private let userSampler: AliasTable
    private let preferredKindSampler: AliasTable
    private let otherKindSampler: AliasTable

    /// A generator for `spec`, with out-of-range values clamped (never a trap or an error).
    public init(spec: SyntheticDataSpec) {
        let spec = spec.clamped()
        self.spec = spec
        var random = SeededRandom(seed: spec.seed, stream: Stream.structure.rawValue)
        let itemCount = spec.items
        let clusterCount = spec.clusters

        // Clusters of varied size; every cluster gets at least one item.
        let clusterWeights = (0..<clusterCount).map { _ in 0.5 + random.nextDouble() }
        let clusterSampler = AliasTable(weights: clusterWeights)
        var order = (0..<itemCount).map { $0 }
        random.shuffle(&order)
        var itemCluster = [Int32](repeating: 0, count: itemCount)
        for (position, item) in order.enumerated() {
            let c = position < clusterCount ? position : clusterSampler.sample(&random)
            itemCluster[item] = Int32(c)
        }

        // Zipf popularity by a shuffled rank, so that the hits fall in every cluster.
        var rank = (0..<itemCount).map { $0 }
        random.shuffle(&rank)
        let exponent = spec.popularityExponent
        let popularity = rank.map { pow(Double($0 + 1), -exponent) }
        var members = [[Int32]](repeating: [], count: clusterCount)
        for item in 0..<itemCount { members[Int(itemCluster[item])].append(Int32(item)) }
        self.itemCluster = itemCluster
        self.clusterMembers = members
        self.clusterSamplers = members.map { list in AliasTable(weights: list.map { popularity[Int($0)] }) }
        self.globalSampler = AliasTable(weights: popularity)

        // Users: preferred clusters, log-normal activity and an active window each.
        let userCount = spec.users
        var userClusters = [Int32](repeating: 0, count: userCount * 3)
        var userClusterCount = [UInt8](repeating: 0, count: userCount)
        var activity = [Double](repeating: 0, count: userCount)
        var windowOffset = [Int32](repeating: 0, count: userCount)
        var windowLength = [Int32](repeating: 0, count: userCount)
        let window = Double(Self.windowSeconds)
        for u in 0..<userCount {
            let roll = random.nextDouble()
            let wanted = roll < 0.4 ? 1 : (roll < 0.8 ? 2 : 3)
            let k = min(wanted, clusterCount)
            var chosen = 0
            while chosen < k {
                let c = Int32(clusterSampler.sample(&random))
                if !userClusters[(u * 3)..<(u * 3 + chosen)].contains(c) {
                    userClusters[u * 3 + chosen] = c
                    chosen += 1
                }
            }
            userClusterCount[u] = UInt8(k)
            activity[u] = exp(1.2 * random.nextNormal())
            // Window length log-uniform between one day and the whole window.
            let length = (86_400.0 * pow(window / 86_400.0, random.nextDouble())).rounded(.down)
            windowLength[u] = Int32(max(1, min(length, window)))
            let slack = Self.windowSeconds - Int64(windowLength[u])
            windowOffset[u] = Int32(slack > 0 ? random.nextInt(below: Int(slack) + 1) : 0)
        }
        self.userClusters = userClusters
        self.userClusterCount = userClusterCount
        self.userWindowOffset = windowOffset
        self.userWindowLength = windowLength
        self.userSampler = AliasTable(weights: activity)
        self.preferredKindSampler = AliasTable(weights: Self.preferredKindWeights)
        self.otherKindSampler = AliasTable(weights: Self.otherKindWeights)
    }

    /// The catalog, deterministic for the seed. Item ids "i1"..."iM"; each item's first tag is its taste cluster.
    public func items() -> [Item] {
        var random = SeededRandom(seed: spec.seed, stream: Stream.catalog.rawValue)
        let windowStart = spec.endTimestamp - Self.windowSeconds
        var result: [Item] = []
        result.reserveCapacity(spec.items)
        for i in 0..<spec.items {
            let shape = random.nextInt(below: SyntheticWords.titleShapeCount)
            let adjective = SyntheticWords.adjectives[random.nextInt(below: SyntheticWords.adjectives.count)]
            let noun = SyntheticWords.nouns[random.nextInt(below: SyntheticWords.nouns.count)]
            let title = SyntheticWords.title(shape: shape, adjective: adjective, noun: noun)
            var tags = [Self.clusterName(Int(itemCluster[i]))]
            let moodCount = random.nextInt(below: 3)
            for _ in 0..<moodCount {
                let mood = SyntheticWords.moods[random.nextInt(below: SyntheticWords.moods.count)]
                if !tags.contains(mood) { tags.append(mood) }
            }
            let created = windowStart - 1 - Int64(random.nextInt(below: Int(Self.catalogSeconds)))
            result.append(Item(id: Self.itemID(i), title: title, tags: tags, createdAt: created))
        }
        return result
    }

    /// Streams exactly spec.interactions events, deterministic for the seed, without building them all in memory.
    public func forEachInteraction(_ body: (IncomingInteraction) throws -> Void) rethrows {
        try forEachEvent { e in
            try body(
                IncomingInteraction(
                    user: Self.userID(e.user), item: Self.itemID(e.item), kind: e.kind,
                    value: e.value, timestamp: e.timestamp, context: e.context))
        }
    }

    /// Writes `items.csv` and `interactions.csv` into `directory` (created if needed), streaming; returns the two paths.
    public func write(to directory: String) throws -> (items: String, interactions: String) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw EngineError.invalidArgument("cannot create the directory \(directory): \(error.localizedDescription)")
        }
        let itemsPath = directory + "/items.csv"
        let interactionsPath = directory + "/interactions.csv"

        var itemsFile = try CSVFileWriter(path: itemsPath)
        itemsFile.append("id,title,tags,created\n")
        for item in items() {
            itemsFile.appendField(item.id)
            itemsFile.append(",")
            itemsFile.appendField(item.title)
            itemsFile.append(",")
            itemsFile.appendField(item.tags.joined(separator: "|"))
            itemsFile.append(",")
            if let created = item.createdAt { itemsFile.appendInteger(created) }
            itemsFile.append("\n")
            try itemsFile.flushIfFull()
        }
        try itemsFile.close()

        var eventsFile = try CSVFileWriter(path: interactionsPath)
        eventsFile.append("user,item,value,timestamp,kind,context\n")
        try forEachEvent { e in
            eventsFile.append("u")
            eventsFile.appendInteger(Int64(e.user + 1))
            eventsFile.append(",i")
            eventsFile.appendInteger(Int64(e.item + 1))
            eventsFile.append(",")
            eventsFile.appendNumber(e.value)
            eventsFile.append(",")
            eventsFile.appendInteger(e.timestamp)
            eventsFile.append(",")
            eventsFile.append(Self.kindLabel(e.kind))
            eventsFile.append(",")
            if let context = e.context { eventsFile.appendField(context) }
            eventsFile.append("\n")
            try eventsFile.flushIfFull()
        }
        try eventsFile.close()
        return (itemsPath, interactionsPath)
    }

    /// The taste cluster (0..<clusters) of the item at 0-based `index` ("i1" is 0), for tests and evaluation.
    public func clusterOfItem(_ index: Int) -> Int {
        Int(itemCluster[index])
    }

    /// The preferred taste clusters (1 to 3, most preferred first) of the user at 0-based `index` ("u1" is 0), for tests and evaluation.
    public func preferredClustersOfUser(_ index: Int) -> [Int] {
        let start = index * 3
        return userClusters[start..<(start + Int(userClusterCount[index]))].map { Int($0) }
    }

    /// The tag naming cluster `index`: "jazz", "indie rock", ...; past the twelfth, "jazz 2" and so on.
    public static func clusterName(_ index: Int) -> String {
        let names = SyntheticWords.clusterNames
        let base = names[index % names.count]
        let round = index / names.count
        return round == 0 ? base : "\(base) \(round + 1)"
    }

    static func userID(_ index: Int) -> String { "u\(index + 1)" }

    /// The kind's raw value as static text, for writing without building a String.
    static func kindLabel(_ kind: InteractionKind) -> StaticString {
        switch kind {
        case .view: return "view"
        case .click: return "click"
        case .play: return "play"
        case .like: return "like"
        case .dislike: return "dislike"
        case .skip: return "skip"
        case .purchase: return "purchase"
        case .rating: return "rating"
        }
    }
    static func itemID(_ index: Int) -> String { "i\(index + 1)" }

    // MARK: - Events

    /// One generated event, by user and item index.
    struct Event {
        var user: Int
        var item: Int
        var kind: InteractionKind
        var value: Double
        var timestamp: Int64
        var context: String?
    }

    /// Calls `body` with each of the `spec.interactions` events in order.
    ///
    /// The first event of each user (or of `interactions` distinct users, when there are fewer
    /// events than users) goes to a random position (selection sampling); every other event's
    /// user is drawn by activity level.
    func forEachEvent(_ body: (Event) throws -> Void) rethrows {
        var random = SeededRandom(seed: spec.seed, stream: Stream.events.rawValue)
        var contextRandom = SeededRandom(seed: spec.seed, stream: Stream.contexts.rawValue)
        let total = spec.interactions
        var firstEvents = (0..<spec.users).map { Int32($0) }
        random.shuffle(&firstEvents)
        var firstsLeft = min(spec.users, total)
        let windowStart = spec.endTimestamp - Self.windowSeconds

        for position in 0..<total {
            let user: Int
            if firstsLeft > 0 && random.nextInt(below: total - position) < firstsLeft {
                user = Int(firstEvents[firstEvents.count - firstsLeft])
                firstsLeft -= 1
            } else {
                user = userSampler.sample(&random)
            }

            let clusterStart = user * 3
            let clusterCount = Int(userClusterCount[user])
            let item: Int
            if random.nextDouble() < Self.preferredShare {
                let split = Self.clusterSplits[clusterCount - 1]
                var pick = random.nextDouble()
                var slot = 0
                while slot < clusterCount - 1 && pick >= split[slot] {
                    pick -= split[slot]
                    slot += 1
                }
                let cluster = Int(userClusters[clusterStart + slot])
                item = Int(clusterMembers[cluster][clusterSamplers[cluster].sample(&random)])
            } else {
                item = globalSampler.sample(&random)
            }

            let cluster = itemCluster[item]
            var preferred = false
            for slot in 0..<clusterCount where userClusters[clusterStart + slot] == cluster { preferred = true }

            let kind = Self.kinds[(preferred ? preferredKindSampler : otherKindSampler).sample(&random)]
            let value: Double
            if kind == .rating {
                let mean = preferred ? 4.1 : 2.8
                value = min(max((mean + 0.9 * random.nextNormal()).rounded(), 1), 5)
            } else {
                value = kind.defaultValue
            }

            let timestamp = windowStart + Int64(userWindowOffset[user]) + Int64(random.nextInt(below: Int(userWindowLength[user])))
            let context = contextRandom.nextDouble() < spec.contextRate ? Self.makeContext(&contextRandom) : nil
            try body(Event(user: user, item: item, kind: kind, value: value, timestamp: timestamp, context: context))
        }
    }

    /// A free-text context; a share of them hold fake personal data (example.com, 555-01xx).
    static func makeContext(_ random: inout SeededRandom) -> String {
        guard random.nextBool(probability: personalContextShare) else {
            return SyntheticWords.contexts[random.nextInt(below: SyntheticWords.contexts.count)]
        }
        let first = SyntheticWords.firstNames[random.nextInt(below: SyntheticWords.firstNames.count)]
        let last = SyntheticWords.lastNames[random.nextInt(below: SyntheticWords.lastNames.count)]
        let digits = random.nextInt(below: 100)
        let phone = "555-01" + (digits < 10 ? "0\(digits)" : "\(digits)")
        let pattern = SyntheticWords.personalPatterns[random.nextInt(below: SyntheticWords.personalPatterns.count)]
        return
            pattern
            .replacingOccurrences(of: "{email}", with: "\(first).\(last)@example.com")
            .replacingOccurrences(of: "{phone}", with: phone)
            .replacingOccurrences(of: "{name}", with: "\(first.capitalized) \(last.capitalized)")
    }
}

/// Appends CSV text to a byte buffer and writes it to a file in 1 MiB chunks.
/// A struct, not a class, so that appending needs no run-time exclusivity checks.
private struct CSVFileWriter {
    static let chunkSize = 1 << 20
    let path: String
    /// Closes its file when released, so an abandoned writer leaks nothing.
    private let handle: FileHandle
    private var buffer: [UInt8] = []

    init(path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil),
            let handle = FileHandle(forWritingAtPath: path)
        else {
            throw EngineError.invalidArgument("cannot create \(path); check the directory and its permissions")
        }
        self.path = path
        self.handle = handle
        buffer.reserveCapacity(Self.chunkSize + 4096)
    }

    /// Appends fixed text that needs no quoting.
    mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { buffer.append(contentsOf: $0) }
    }

    /// Appends one field, quoted as RFC 4180 requires when it holds a comma, quote, CR or LF.
    mutating func appendField(_ text: String) {
        let needsQuotes = text.utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\n") }
        guard needsQuotes else {
            buffer.append(contentsOf: text.utf8)
            return
        }
        buffer.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            if byte == UInt8(ascii: "\"") { buffer.append(byte) }
            buffer.append(byte)
        }
        buffer.append(UInt8(ascii: "\""))
    }

    /// Appends a decimal integer.
    mutating func appendInteger(_ value: Int64) {
        if value < 0 { buffer.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var start = digits.count
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: digits[start...]))
        }
    }

    /// Appends a number compactly: whole numbers without a decimal point ("1", "-1", "4").
    mutating func appendNumber(_ value: Double) {
        if value == value.rounded(), abs(value) < 1e15 {
            appendInteger(Int64(value))
        } else {
            buffer.append(contentsOf: "\(value)".utf8)
        }
    }

    /// Writes the buffer out once it holds a full chunk.
    mutating func flushIfFull() throws {
        if buffer.count >= Self.chunkSize { try flush() }
    }

    /// Writes what is buffered and closes the file.
    mutating func close() throws {
        try flush()
        do {
            try handle.close()
        } catch {
            throw EngineError.invalidArgument("cannot write \(path): \(error.localizedDescription)")
        }
    }

    private mutating func flush() throws {
        guard !buffer.isEmpty else { return }
        do {
            try buffer.withUnsafeBytes { try handle.write(contentsOf: $0) }
        } catch {
            throw EngineError.invalidArgument("cannot write \(path): \(error.localizedDescription)")
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
