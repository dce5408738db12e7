import Foundation
import TactCore
import TactStore
import TactTestSupport
import Testing

@testable import TactEngine

@Suite struct PolicyHistoryTests {
    let tmp = TemporaryDirectory()

    func write(_ policy: PrivacyPolicy, to dir: DataDirectory) throws {
        try policy.jsonData().write(to: URL(fileURLWithPath: dir.policyPath))
    }

    @Test func aNewVersionIsRecordedOnce() throws {
        let dir = DataDirectory(path: tmp.file("data"), environment: [:])
        try dir.initialize(mode: .optIn)
        var engine = try dir.open()
        _ = try dir.open()
        var versions = try PolicyHistory(store: engine.store).versions()
        #expect(versions.map(\.policy) == [.builtIn])
        #expect(versions[0].changes == nil)
        let recorded = try engine.store.read { try $0.policyVersions() }
        #expect(recorded.count == 1, "\(recorded.map { "\($0.version) at \($0.firstSeenAt)" })")

        var next = PrivacyPolicy.builtIn
        next.version = "2027-01-15.1"
        next.dataCategories[0].retentionDays = 365
        try write(next, to: dir)
        engine = try dir.open()
        _ = try dir.open()
        #expect(engine.policy == next)
        versions = try PolicyHistory(store: engine.store).versions()
        #expect(versions.map(\.policy.version) == ["2027-01-15.1", PrivacyPolicy.builtIn.version])
        #expect(versions[0].changes?.from == PrivacyPolicy.builtIn.version)
        #expect(versions[0].changes?.changes.map(\.text) == ["interactions: kept 730 days → 365 days"])
        #expect(try PolicyHistory(store: engine.store).diff(from: PrivacyPolicy.builtIn.version, to: "2027-01-15.1") == versions[0].changes)

        // Going back to a recorded version with its own text is allowed and records nothing.
        try write(.builtIn, to: dir)
        engine = try dir.open()
        #expect(try PolicyHistory(store: engine.store).versions().count == 2)
    }

    @Test func changedTextUnderARecordedVersionIsRefused() throws {
        let dir = DataDirectory(path: tmp.file("same"), environment: [:])
        try dir.initialize(mode: .optIn)
        _ = try dir.open()
        var changed = PrivacyPolicy.builtIn
        changed.purposes[1].description = "Something else entirely."
        try write(changed, to: dir)
        #expect { try dir.open() } throws: { error in
            guard case EngineError.policyVersionReused(let version, let path) = error else { return false }
            let message = "\(error)"
            return version == PrivacyPolicy.builtIn.version && path == dir.policyPath
                && message.contains("new \"version\"") && message.contains("2026-11-29.2")
        }
        // Only the layout changed (same text, other whitespace and key order): not a change.
        let compact = try JSONEncoder().encode(PrivacyPolicy.builtIn)
        try compact.write(to: URL(fileURLWithPath: dir.policyPath))
        _ = try dir.open()
    }

    @Test func unknownVersionsAreNamed() throws {
        let dir = DataDirectory(path: tmp.file("unknown"), environment: [:])
        try dir.initialize(mode: .optIn)
        let engine = try dir.open()
        #expect { try PolicyHistory(store: engine.store).diff(from: "nope", to: PrivacyPolicy.builtIn.version) } throws: { error in
            guard case EngineError.unknownPolicyVersion(let v, let known) = error else { return false }
            return v == "nope" && known == [PrivacyPolicy.builtIn.version] && "\(error)".contains("tact policy history")
        }
        #expect(EngineError.nextVersion(after: "7") == "8")
        #expect(EngineError.nextVersion(after: "2026-11-29") == "2026-11-29.1")
    }
}
