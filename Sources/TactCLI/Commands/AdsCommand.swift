import ArgumentParser
import Foundation
import TactCore
import TactEngine
import TactPrivacy
import TactRecommend

struct AdsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ads",
        abstract: "Privacy-preserving advertising: the topic taxonomy, campaigns with k-anonymous audiences, DP reports.",
        discussion: """
            Interest topics are computed only for people whose consent permits advertising and who have \
            not refused sale or sharing; a campaign's topics must reach at least --k people (default 50). \
            Reports release only noisy aggregates, charged to the privacy ledger (dataset "ads"). \
            See docs/advertising.md.

            Examples:
              tact ads topics
              tact ads topics u1
              tact ads create --advertiser "Jazz Club" --name "Jazz pages" --headline "Live jazz tonight" \\
                              --url https://club.example --context-topics jazz --bid 1.5 --budget 200
              tact ads campaigns
              tact ads report c_1a2b3c4d5e6f7a8b --epsilon 1
            """,
        subcommands: [Topics.self, Create.self, Campaigns.self, Status.self, Report.self])

    struct Topics: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The topic taxonomy, or one person's interest topics (when their consent permits).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "A person's user id (leave out for the taxonomy).") var user: String?

        func run() throws {
            let ads = AdsService(engine: try global.openExisting())
            guard let user else {
                let taxonomy = try ads.taxonomy()
                print("\(taxonomy.topics.count) topics (the catalog's most common tags): " + taxonomy.topics.joined(separator: ", "))
                return
            }
            guard let topics = try ads.topics(of: ads.engine.pseudonymizer.pseudonym(for: user)) else {
                print("No topics: this person's consent does not permit interest-based advertising (or they refused sale or sharing).")
                return
            }
            print(
                topics.isEmpty
                    ? "No topics: nothing in the last \(ads.settings.topicEpochs) weeks."
                    : "Topics (one per recent week, newest first; each may be a random one): " + topics.joined(separator: ", "))
        }
    }

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a campaign (refused when its topics reach fewer than --k people).")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Who pays.") var advertiser: String
        @Option(help: "The campaign's name.") var name: String
        @Option(help: "The ad's headline.") var headline: String
        @Option(help: "The ad's text.") var body = ""
        @Option(help: "Where a click leads (http or https).") var url: String
        @Option(help: "Interest topics the audience must all hold, comma-separated.") var topics = ""
        @Option(help: "Topics of the page being viewed the ad fits, comma-separated.") var contextTopics = ""
        @Option(help: "Price per thousand impressions.") var bid: Double
        @Option(help: "Spend per day, paced evenly.") var budget: Double
        @Option(help: "Most impressions per person per day.") var cap = 3
        @Option(help: "The smallest audience a campaign may target.") var k = 50

        func run() throws {
            var settings = AdsSettings()
            settings.minimumAudience = k
            let ads = AdsService(engine: try global.openExisting(), settings: settings)
            func list(_ text: String) -> [String] { text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
            let created: AdCampaign
            do {
                created = try ads.create(
                    AdCampaign(
                        id: "", advertiser: advertiser, name: name, creative: .init(headline: headline, body: body, url: url),
                        topics: list(topics), contextTopics: list(contextTopics), bidCPM: bid, dailyBudget: budget,
                        frequencyCap: cap, owner: "cli"), actor: "cli")
            } catch let error as EngineError {
                throw UsageError(error.description)
            }
            print("Created campaign \(created.id) for \(created.advertiser): '\(created.name)'.")
        }
    }

    struct Campaigns: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the campaigns.")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let campaigns = try AdsService(engine: try global.openExisting()).campaigns()
            if campaigns.isEmpty { print("No campaign yet: 'tact ads create' makes one."); return }
            var t = TextTable("id", "advertiser", "name", "status", "topics", "context", "bid CPM", "budget/day", "cap")
            for c in campaigns {
                t.add(
                    c.id, c.advertiser, c.name, c.status.rawValue, c.topics.joined(separator: "+"), c.contextTopics.joined(separator: ","),
                    fixed(c.bidCPM, 2), fixed(c.dailyBudget, 2), "\(c.frequencyCap)")
            }
            print(t.render())
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Pause, resume or end a campaign.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The campaign's id.") var campaign: String
        @Argument(help: "active, paused or ended.") var status: String

        func run() throws {
            guard let value = AdCampaign.Status(rawValue: status) else { throw UsageError("status is 'active', 'paused' or 'ended'") }
            do {
                let changed = try AdsService(engine: try global.openExisting()).setStatus(campaign, value, actor: "cli")
                print("Campaign \(changed.id) is \(changed.status.rawValue).")
            } catch let error as EngineError {
                throw UsageError(error.description)
            }
        }
    }

    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A campaign's impressions, clicks and conversions with differential-privacy noise.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The campaign's id.") var campaign: String
        @Option(help: "The privacy loss of this report (charged to the ledger).") var epsilon = 1.0
        @Flag(help: "Print the result as one JSON line.") var json = false

        func validate() throws { try OptionChecks.positive(epsilon, flag: "--epsilon") }

        func run() throws {
            let report: AdReport
            do {
                report = try AdsService(engine: try global.openExisting()).report(campaign: campaign, epsilon: epsilon, actor: "cli")
            } catch let error as EngineError {
                throw UsageError(error.description)
            }
            if json {
                try printJSONLine([
                    "campaign": report.campaign, "epsilon": report.epsilon,
                    "metrics": report.metrics.map {
                        [
                            "name": $0.name, "value": $0.value.map { Int($0) } as Any, "suppressed": $0.value == nil,
                            "contribution_cap": $0.cap, "noise_scale": $0.scale
                        ] as [String: Any]
                    }
                ])
                return
            }
            print("Campaign \(report.campaign), ε = \(report.epsilon) (charged to the privacy ledger), discrete Laplace noise:")
            for m in report.metrics {
                print(
                    "  \(m.name): \(m.value.map { "\($0)" } ?? "suppressed (below \(report.minimumCount))")  (each person adds at most \(m.cap); noise scale \(fixed(m.scale, 1)))"
                )
            }
        }
    }
}
