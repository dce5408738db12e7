import ArgumentParser
import Foundation
import TactCore
import TactEngine

struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Show what the data directory holds: people, items, events, consent and refusals.")

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Print the result as one JSON line.")
    var json = false

    func run() throws {
        let engine = try global.openExisting()
        let s = try engine.statistics()
        let bytes = Int(try engine.storageBytes() ?? 0)
        if json {
            func names(_ d: [Purpose: Int]) -> [String: Int] { Dictionary(uniqueKeysWithValues: d.map { ($0.key.rawValue, $0.value) }) }
            let object: [String: Any] = [
                "consent_mode": engine.configuration.consentMode.rawValue, "policy_version": engine.policy.version,
                "subjects": s.subjects, "items": s.items, "interactions": s.interactions,
                "consent_records": s.consentRecords, "audit_entries": s.auditEntries,
                "granted": names(s.granted), "denied": names(s.denied), "refused_events": names(s.refusals),
                "database_bytes": bytes
            ]
            print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self))
            return
        }
        print("Data directory \(global.data)")
        print("  consent mode \(engine.configuration.consentMode.rawValue), policy version \(engine.policy.version), database \(bytes / 1024) KiB")
        var t = TextTable("", "count")
        t.add("people (pseudonyms)", grouped(s.subjects))
        t.add("items", grouped(s.items))
        t.add("interactions", grouped(s.interactions))
        t.add("consent records", grouped(s.consentRecords))
        t.add("audit entries", grouped(s.auditEntries))
        print(t.render())
        if let first = s.firstInteraction, let last = s.lastInteraction {
            print("  events from \(dateText(first)) to \(dateText(last))")
        }
        print("")
        var c = TextTable("purpose", "granted", "refused", "events refused")
        for p in Purpose.allCases {
            c.add(p.rawValue, grouped(s.granted[p] ?? 0), grouped(s.denied[p] ?? 0), grouped(s.refusals[p] ?? 0))
        }
        print(c.render())
    }
}
