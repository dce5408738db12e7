import Foundation
import TactCore
import TactRecommend
import TactStore

/// One item of a playlist, with why it is there.
public struct PlaylistEntry: Sendable {
    public let item: Item
    /// From the person's own history (not heard lately), or a discovery.
    public let familiar: Bool
    public let reason: String
}

/// A playlist: the same for a person all week (the seed is the person and the week), new the next.
public struct Playlist: Sendable {
    public let entries: [PlaylistEntry]
    /// Whether it was made from the person's (or the session's) own history.
    public let personalized: Bool
    /// Weeks since Monday 1969-12-29: the cadence at which the playlist changes.
    public let week: Int64
    /// Mean similarity of consecutive items (how smoothly it flows).
    public let coherence: Double
}

/// Makes playlists from the model in service: for a person (familiar items they have not had in the
/// last `recentDays`, mixed with discoveries), for an anonymous session, or from a seed item.
public struct PlaylistMaker: Sendable {
    public let recommender: ModelRecommender
    /// Items with any of these tags never enter a playlist (advertising inventory goes through placements and ads).
    public var excludedTags: Set<String> = [Item.sponsoredTag]
    /// Items had within this many days count as recently consumed and are left out.
    public var recentDays: Int64 = 7

    public init(recommender: ModelRecommender) { self.recommender = recommender }

    /// The week of `now`, counted from Monday 1969-12-29, so weeks turn on Monday 00:00 UTC.
    public static func week(of now: Int64) -> Int64 { (now / 86_400 + 3) / 7 }

    /// The person's playlist; nil when their consent does not permit personalization, they are
    /// restricted, or nothing of theirs is in the model.
    public func forPerson(_ pseudonym: Pseudonym, options: PlaylistOptions, now: Int64 = Int64(Date().timeIntervalSince1970)) throws -> Playlist? {
        let engine = recommender.engine
        let gate = engine.gate
        guard
            let stored = try engine.store.read({ r -> [StoredInteraction]? in
                guard let row = try r.subjectRow(for: pseudonym), gate.permits(.personalization, state: try r.consentState(of: row)),
                    try r.restriction(of: row) == nil
                else { return nil }
                return try r.interactions(of: row)
            })
        else { return nil }
        let columnOfRow = recommender.columnOfRow
        var strength: [Int32: Float] = [:], lastHad: [Int32: Int64] = [:]
        for e in stored {
            guard let column = columnOfRow[e.item] else { continue }
            strength[column, default: 0] += EventWeight.strength(kind: e.kind.rawValue, value: e.value)
            lastHad[column] = max(lastHad[column] ?? 0, e.timestamp)
        }
        let history = strength.filter { $0.value > 0 }.sorted { $0.key < $1.key }.map { (item: $0.key, value: $0.value) }
        guard !history.isEmpty else { return nil }
        let recent = now - recentDays * 86_400
        let familiar = history.filter { (lastHad[$0.item] ?? 0) < recent && allowed($0.item) }.map { (item: $0.item, score: $0.value) }
        return make(history: history, familiar: familiar, options: options, seed: pseudonym.hex, now: now, personalized: true)
    }

    /// A playlist for an anonymous session: discoveries from the session's items (all of them just
    /// had, so none is repeated); nothing is stored. Nil when no session item is in the model.
    public func forSession(_ itemIDs: [String], options: PlaylistOptions, now: Int64 = Int64(Date().timeIntervalSince1970)) -> Playlist? {
        let history = recommender.sessionHistory(itemIDs)
        guard !history.isEmpty else { return nil }
        return make(history: history, familiar: [], options: options, seed: itemIDs.sorted().joined(separator: "\u{1F}"), now: now, personalized: true)
    }

    /// A playlist of everyone's favourites (`ranked`, best first), smoothly ordered: for people whose
    /// consent does not permit personalization. Nothing about the person is used.
    public func forEveryone(_ ranked: [String], options: PlaylistOptions, now: Int64 = Int64(Date().timeIntervalSince1970)) -> Playlist {
        let columns = ranked.compactMap { recommender.column(of: $0) }.filter(allowed).prefix(max(60, 3 * options.length))
        let pool = columns.enumerated().map { (item: $0.element, score: Float(columns.count - $0.offset)) }
        var everyone = options
        everyone.familiarShare = 0
        let items = recommender.items, similarity = recommender.similarity
        let built = PlaylistBuilder.build(
            familiar: [], discovery: Array(pool), options: everyone, similarity: { similarity($0, $1) },
            groups: { items[Int($0)].tags }, seed: UInt64(bitPattern: Self.week(of: now)))
        return Playlist(
            entries: built.map { PlaylistEntry(item: items[Int($0.item)], familiar: false, reason: "popular with everyone lately") },
            personalized: false, week: Self.week(of: now),
            coherence: PlaylistBuilder.coherence(built.map(\.item), similarity: { similarity($0, $1) }))
    }

    /// A playlist that starts with `itemID` and continues with items like it.
    public func forSeed(_ itemID: String, options: PlaylistOptions, now: Int64 = Int64(Date().timeIntervalSince1970)) throws -> Playlist {
        guard let column = recommender.column(of: itemID) else { throw EngineError.unknownItem(itemID) }
        var shorter = options
        shorter.length = max(0, options.length - 1)
        shorter.familiarShare = 0
        let rest = make(history: [(column, 1)], familiar: [], options: shorter, seed: itemID, now: now, personalized: false)
        let first = PlaylistEntry(item: recommender.items[Int(column)], familiar: true, reason: "the item you started from")
        let items = [column] + rest.entries.compactMap { recommender.column(of: $0.item.id) }
        return Playlist(
            entries: [first] + rest.entries, personalized: false, week: rest.week,
            coherence: PlaylistBuilder.coherence(items, similarity: { recommender.similarity($0, $1) }))
    }

    private func make(
        history: [(item: Int32, value: Float)], familiar: [(item: Int32, score: Float)], options: PlaylistOptions,
        seed: String, now: Int64, personalized: Bool
    ) -> Playlist {
        let week = Self.week(of: now)
        let discoveries = recommender.recommend(
            history: history, k: max(60, 3 * options.length),
            filter: RecommendationFilter(excludeTags: excludedTags), reasonsPerItem: 1)
        var reasonOf: [Int32: String] = [:]
        var pool: [(item: Int32, score: Float)] = []
        for rec in discoveries {
            guard let column = recommender.column(of: rec.item.id) else { continue }
            pool.append((column, rec.score))
            reasonOf[column] = rec.reasons.first.map { "because you had \($0.item.title.isEmpty ? $0.item.id : $0.item.title)" } ?? "a discovery for you"
        }
        let items = recommender.items
        let similarity = recommender.similarity
        let built = PlaylistBuilder.build(
            familiar: familiar, discovery: pool, options: options, similarity: { similarity($0, $1) },
            groups: { items[Int($0)].tags }, seed: Self.fnv(seed) ^ UInt64(bitPattern: week) &* 0x9E37_79B9_7F4A_7C15)
        let entries = built.map { e in
            PlaylistEntry(
                item: items[Int(e.item)], familiar: e.familiar,
                reason: e.familiar ? "one of your favourites, not heard lately" : reasonOf[e.item] ?? "a discovery for you")
        }
        return Playlist(
            entries: entries, personalized: personalized, week: week,
            coherence: PlaylistBuilder.coherence(built.map(\.item), similarity: { similarity($0, $1) }))
    }

    /// Whether a model column may enter a playlist (not advertising inventory).
    func allowed(_ column: Int32) -> Bool { !recommender.items[Int(column)].tags.contains(where: excludedTags.contains) }

    /// FNV-1a of the text: a stable seed (Swift's own hashing changes from run to run).
    static func fnv(_ text: String) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return h
    }
}

extension ModelRecommender {
    /// The items of an anonymous session (catalog ids, repeats adding up) as a model history; ids
    /// the model does not know are left out.
    public func sessionHistory(_ itemIDs: [String]) -> [(item: Int32, value: Float)] {
        var strength: [Int32: Float] = [:]
        for id in itemIDs { if let column = column(of: id) { strength[column, default: 0] += 1 } }
        return strength.sorted { $0.key < $1.key }.map { (item: $0.key, value: $0.value) }
    }
}
