import ArgumentParser
import Foundation
import TactEngine

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a realistic synthetic catalog and interaction file.",
        discussion: """
            Writes OUT/items.csv and OUT/interactions.csv, ready for 'tact import'. The data has \
            power-law item popularity, latent taste clusters (an item's first tag is its cluster), \
            a heavy-tailed number of events per person, timestamps over 180 days, mixed event kinds, \
            and a few free-text contexts (some with fake e-mail addresses and phone numbers, for PII \
            scrubbing). The same seed always gives the same files.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: "Number of people.") var users = 1_000
    @Option(help: "Number of catalog items.") var items = 500
    @Option(help: "Number of interaction events.") var interactions = 50_000
    @Option(help: "Random seed.") var seed: UInt64 = 42
    @Option(help: ArgumentHelp("Output directory.", valueName: "DIR")) var out = "./tact-synthetic"

    func validate() throws {
        guard users >= 1 else { throw ValidationError("--users must be at least 1") }
        guard items >= 1 else { throw ValidationError("--items must be at least 1") }
        guard interactions >= 0 else { throw ValidationError("--interactions must not be negative") }
        guard users <= 100_000_000, items <= 100_000_000, interactions <= 2_000_000_000 else {
            throw ValidationError("that is larger than tact generate supports (100M people or items, 2G events)")
        }
    }

    func run() throws {
        let started = Date()
        let spec = SyntheticDataSpec(users: users, items: items, interactions: interactions, seed: seed)
        let paths = try SyntheticDataGenerator(spec: spec).write(to: out)
        print("Wrote \(grouped(items)) items to \(paths.items)")
        print("Wrote \(grouped(interactions)) interactions by \(grouped(users)) people to \(paths.interactions)")
        print(
            "  in \(fixed(Date().timeIntervalSince(started), 2)) s (seed \(seed)). Next: tact import items \(paths.items) && tact import interactions \(paths.interactions) --grant personalization,model-training"
        )
    }
}
