import ArgumentParser
import Foundation
import Testing

@testable import TactCLI

/// Every number a flag takes is checked where it is parsed: NaN, infinities and absurd counts are usage errors
/// naming the flag, never a crash, a hang or a huge allocation further in (issue 30, point 3). The commands and
/// their flags are read from the command tree itself (`_dumpHelp`), so a flag added later is covered too.
@Suite struct OptionEdgeTests {
    struct Option {
        let command: [String]
        let positionals: [String]
        let name: String
        let defaultValue: String?
        /// The flag's help text: the same flag from the same option group (train, evaluate, tune and serve share
        /// several) is checked once.
        let help: String
    }

    /// Values for required positional arguments, by value name: any well-formed value will do, since only parsing runs.
    static let positionalValues = [
        "FILE": "events.csv", "user": "u1", "purposes": "personalization", "item": "i1", "campaign": "c1",
        "status": "paused", "id": "k1", "from": "1", "to": "2"
    ]

    /// Every option of every leaf command.
    static func options() throws -> [Option] {
        let root = try #require(try JSONSerialization.jsonObject(with: Data(TactCommand._dumpHelp().utf8)) as? [String: Any])
        var found: [Option] = []
        var seen: Set<String> = []
        func walk(_ command: [String: Any], _ path: [String]) {
            if let subcommands = command["subcommands"] as? [[String: Any]], !subcommands.isEmpty {
                for sub in subcommands { walk(sub, path + [sub["commandName"] as? String ?? ""]) }
                return
            }
            let arguments = command["arguments"] as? [[String: Any]] ?? []
            let positionals = arguments.filter { $0["kind"] as? String == "positional" && $0["isOptional"] as? Bool != true }
                .map { positionalValues[$0["valueName"] as? String ?? ""] ?? "x" }
            for argument in arguments where argument["kind"] as? String == "option" {
                guard let name = (argument["preferredName"] as? [String: Any])?["name"] as? String else { continue }
                let option = Option(
                    command: path, positionals: positionals, name: name, defaultValue: argument["defaultValue"] as? String,
                    help: argument["abstract"] as? String ?? "")
                if seen.insert("\(name)\u{1F}\(option.help)").inserted { found.append(option) }
            }
        }
        walk(try #require(root["command"] as? [String: Any]), [])
        return found
    }

    static func parses(_ option: Option, _ value: String) -> Bool {
        (try? TactCommand.parseAsRoot(option.command + option.positionals + ["--\(option.name)=\(value)"])) != nil
    }

    @Test("no option that takes a number accepts NaN or an infinity")
    func nonFiniteNumbersAreRefused() throws {
        var checked = 0
        var accepted: [String] = []
        for option in try Self.options() {
            // A number option: its default is a number and parses, or (without a default) 0.5 parses where a word does not.
            if let given = option.defaultValue {
                guard Double(given) != nil, given.contains(".") || given.contains("e"), Self.parses(option, given) else { continue }
            } else {
                guard Self.parses(option, "0.5"), !Self.parses(option, "abc") else { continue }
            }
            checked += 1
            for value in ["nan", "inf"] where Self.parses(option, value) {
                accepted.append("tact \(option.command.joined(separator: " ")) --\(option.name) \(value)")
            }
        }
        #expect(accepted.isEmpty, "accepted: \(accepted.joined(separator: "; "))")
        // The probe must find the number options, or this test would pass by checking nothing.
        #expect(checked >= 50, "only \(checked) number options found")  // 52 distinct flags (93 uses) when this was written
    }

    @Test("thread counts and list lengths are bounded: a flag cannot ask for billions of threads or items")
    func countsAreBounded() throws {
        var checked = 0
        var accepted: [String] = []
        for option in try Self.options() where ["threads", "k", "top", "runs"].contains(option.name) {
            guard Self.parses(option, option.defaultValue ?? "10") else { continue }
            checked += 1
            if Self.parses(option, "3000000000") { accepted.append("tact \(option.command.joined(separator: " ")) --\(option.name) 3000000000") }
            if option.name != "threads", Self.parses(option, "0") { accepted.append("tact \(option.command.joined(separator: " ")) --\(option.name) 0") }
        }
        #expect(accepted.isEmpty, "accepted: \(accepted.joined(separator: "; "))")
        #expect(checked >= 6, "only \(checked) count options found")  // 6 distinct flags when this was written
    }
}
