import Foundation
import TactCore

/// The last search's winner, kept beside the models (`DIR/models/search.json`): what a data directory
/// serves when no model flag names one, and where the next search starts.
public struct SearchChoice: Sendable, Codable, Equatable {
    public var algorithm: String
    public var settings: [String: String]
    /// Unix seconds.
    public var searchedAt: Int64
    /// The winner's validation NDCG@10 and popularity's, when there was a validation part.
    public var score: Double?
    public var popularityScore: Double?
    /// Why the search chose it, in words (nil in choices saved before it was kept).
    public var reason: String?

    public init(_ result: ModelSearchResult, at time: Int64 = Int64(Date().timeIntervalSince1970)) {
        algorithm = result.winner.algorithm
        settings = result.winner.settings
        searchedAt = time
        score = result.winnerScore
        popularityScore = result.popularityScore
        reason = result.reason
    }

    /// The winner as a candidate, to train again or to start the next search from.
    public func candidate(seed: UInt64, threads: Int) -> SearchCandidate? {
        SearchCandidate.from(algorithm: algorithm, settings: settings, seed: seed, threads: threads)
    }

    static func path(_ directory: ModelDirectory) -> String { directory.path + "/search.json" }

    /// The saved choice; nil when there is none or it cannot be read (a search runs again).
    public static func load(from directory: ModelDirectory) -> SearchChoice? {
        guard let data = FileManager.default.contents(atPath: path(directory)) else { return nil }
        return try? JSONDecoder().decode(SearchChoice.self, from: data)
    }

    /// Saves atomically, readable by the owner only.
    public func save(to directory: ModelDirectory) throws {
        try directory.create()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        let path = Self.path(directory), temporary = path + ".tmp"
        PrivateMode.createFile(temporary)
        PrivateMode.apply(to: temporary)
        try encoder.encode(self).write(to: URL(fileURLWithPath: temporary))
        guard rename(temporary, path) == 0 else {
            throw EngineError.invalidArgument("cannot save the search's choice at \(path): \(String(cString: strerror(errno)))")
        }
    }
}
