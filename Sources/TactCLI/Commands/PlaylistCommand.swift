import ArgumentParser
import Foundation
import TactCore
import TactEngine
import TactRecommend

struct PlaylistCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "playlist",
        abstract: "A personalized playlist: familiar items and discoveries, in a smooth order, the same all week.",
        discussion: """
            Mixes the person's favourites they have not had in the last --recent-days with discoveries \
            from the model, at --familiar-share; each next item is the best by relevance and closeness to \
            the one before (--smoothness), with at most --max-per-tag items sharing a tag. The playlist \
            is seeded by the person and the week: it stays the same until Monday. With --seed-item, \
            a playlist that starts from that item instead (no person needed).
            """)

    @OptionGroup var serving: ServingOptions
    @Argument(help: "The person's user id (leave out with --seed-item).") var user: String?
    @Option(help: "Items in the playlist.") var length = 30
    @Option(help: "Share of familiar items (0 to 1).") var familiarShare: Float = 0.3
    @Option(help: "Closeness to the item before against relevance (0 to 1).") var smoothness: Float = 0.5
    @Option(help: "At most this many items sharing a tag (0: no cap).") var maxPerTag = 0
    @Option(help: "Items had within this many days are left out.") var recentDays = 7
    @Option(help: ArgumentHelp("Start from this item instead of a person.", valueName: "ITEM")) var seedItem: String?
    @Flag(help: "Print the result as one JSON line.") var json = false

    func validate() throws {
        guard (user == nil) != (seedItem == nil) else { throw ValidationError("name a person, or give --seed-item, not both") }
        guard (1...500).contains(length) else { throw ValidationError("--length must be from 1 to 500") }
        guard (0...1).contains(familiarShare), (0...1).contains(smoothness) else {
            throw ValidationError("--familiar-share and --smoothness must be from 0 to 1")
        }
        guard maxPerTag >= 0, recentDays >= 0 else { throw ValidationError("--max-per-tag and --recent-days must be 0 or more") }
    }

    func run() throws {
        let policy = try serving.policy()
        let options = PlaylistOptions(length: length, familiarShare: familiarShare, maxPerGroup: maxPerTag > 0 ? maxPerTag : nil, smoothness: smoothness)
        let playlist: Playlist
        if let seedItem {
            playlist = try policy.playlist(fromSeed: seedItem, options: options)!
        } else {
            playlist = try policy.playlist(for: policy.engine.pseudonymizer.pseudonym(for: user!), options: options, recentDays: Int64(recentDays))!
        }
        if json {
            try printJSONLine([
                "personalized": playlist.personalized, "week": playlist.week, "coherence": playlist.coherence,
                "items": playlist.entries.map { ["id": $0.item.id, "title": $0.item.title, "familiar": $0.familiar, "reason": $0.reason] as [String: Any] }
            ])
            return
        }
        print(
            playlist.personalized
                ? "Playlist for this person, week \(playlist.week):"
                : (seedItem != nil ? "Playlist from \(seedItem!):" : "Not personalized (no consent to personalization, or no history): everyone's favourites"))
        for (i, e) in playlist.entries.enumerated() {
            print("  \(String(format: "%2d", i + 1)). \(e.familiar ? "★" : " ") \(label(e.item))  — \(e.reason)")
        }
        print(
            "  ★ familiar: \(playlist.entries.filter(\.familiar).count) of \(playlist.entries.count); coherence (mean similarity of neighbours) \(fixed(playlist.coherence, 3))"
        )
    }
}
