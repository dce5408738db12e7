import Foundation
import TactCore
import TactRecommend
import TactStore
import Testing

@testable import TactEngine

/// Erasure is several steps (the request recorded, the model patched, the key shredded, the store's rows
/// removed with the request completed, the server's model reloaded). Here `tact subject erase` is stopped
/// dead between each pair of steps (`TACT_CRASH_AT`, as `kill -9` would stop it), and the next process to open
/// the data directory must finish the request from its recorded state: no step skipped, the person's data,
/// key and model vector gone, and the person never served as personalized after that.
@Suite(.serialized) struct ErasureCrashTests {
    @Test("an erasure stopped between any two of its steps is finished by the next process to open the data directory", arguments: CrashPoint.allCases)
    func finishedAfterACrash(at point: CrashPoint) async throws {
        let f = try RightsFixture()
        let eve = f.engine.pseudonymizer.pseudonym(for: "eve")
        let (before, metadataBefore) = try f.savedModel()
        let dataPath = f.engine.directory.path
        // Before: eve is served from her own history (so the last check below can fail).
        #expect(try await TactProcess.recommend("eve", data: dataPath).personalized)

        let crashed = try await TactProcess.run(["subject", "erase", "eve", "--data", dataPath], crashAt: point)
        #expect(crashed.status == CrashPoint.exitStatus, "tact should have stopped at \(point.rawValue): \(crashed.output)")

        // What the stopped process left, read without opening the data directory again (which would finish it).
        let left = try f.engine.store.read { try $0.interruptedErasures() }
        if point == .erasureStored {
            #expect(left.isEmpty, "the last step completes the request in the same transaction")
        } else {
            #expect(left.map(\.subject) == [eve], "the request must be left under way, with the person it removes")
            #expect(try f.engine.store.read { try $0.subjectRow(for: eve) } != nil, "the store's rows go in the last step")
        }
        #expect(try f.engine.vault.wrappedKeys(for: [eve]).isEmpty == (point == .erasureKeyShredded || point == .erasureStored))

        // The next process: opening the data directory finishes the request.
        let reopened = try DataDirectory(path: dataPath, environment: [:]).open()
        #expect(try reopened.store.read { try $0.interruptedErasures() }.isEmpty)
        let requests = try SubjectRights(engine: reopened).requests(pseudonym: eve)
        #expect(requests.map(\.kind) == [.erasure] && requests.map(\.status) == [.completed], "\(requests)")
        #expect(try reopened.store.read { try $0.subjectRow(for: eve) } == nil)
        #expect(try reopened.vault.wrappedKeys(for: [eve]).isEmpty)
        let erasures = try reopened.store.read { try $0.recentAuditEntries(limit: 1_000) }.filter { $0.action == "subject.erase" }
        #expect(erasures.count == 1, "one audit entry for the erasure, however many times its steps ran")

        // The model: her vector dropped, and the items she touched solved again without her.
        let (after, metadata) = try f.savedModel()
        #expect(!metadata.users.contains(eve.hex))
        #expect(after.users == before.users - 1)
        let s = after.itemFactors.stride, k = after.itemFactors.factors
        for id in ["r0", "r5", "x1", "x2"] {
            let column = metadata.items.firstIndex(of: id)!
            let got = (0..<k).map { Double(after.itemFactors.storage[column * s + $0]) }
            let want = f.referenceItemVector(model: before, metadata: metadataBefore, column: column, without: ["eve"])
            let norm = max(want.map { $0 * $0 }.reduce(0, +).squareRoot(), 1e-6)
            let error = zip(got, want).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
            #expect(error / norm < 1e-3, "item \(id): relative error \(error / norm)")
        }
        // And she is not served as personalized again.
        #expect(try await !TactProcess.recommend("eve", data: dataPath).personalized)
    }

    @Test("an erasure that runs to its end leaves nothing under way, and opening the data directory again changes nothing")
    func completeErasureLeavesNothing() throws {
        let f = try RightsFixture()
        let result = try SubjectRights(engine: f.engine).erase(user: "eve", actor: "test")
        #expect(result.found && result.keyShredded)
        #expect(try f.engine.store.read { try $0.interruptedErasures() }.isEmpty)
        let modelBytes = FileManager.default.contents(atPath: f.modelPath)
        let reopened = try DataDirectory(path: f.engine.directory.path, environment: [:]).open()
        #expect(try SubjectRights(engine: reopened).finishInterruptedErasures().isEmpty)
        #expect(FileManager.default.contents(atPath: f.modelPath) == modelBytes)
    }

    @Test("a refused erasure is not finished later: refusing it clears the person it held")
    func refusedIsNotResumed() throws {
        let f = try RightsFixture()
        let eve = f.engine.pseudonymizer.pseudonym(for: "eve")
        // The model file is unreadable, so the model patch (the first step) fails and the request is refused.
        try Data("not a model".utf8).write(to: URL(fileURLWithPath: f.modelPath))
        #expect(throws: (any Error).self) { try SubjectRights(engine: f.engine).erase(user: "eve", actor: "test") }
        #expect(try f.engine.store.read { try $0.interruptedErasures() }.isEmpty)
        #expect(try SubjectRights(engine: f.engine).requests(pseudonym: eve).map(\.status) == [.refused])
        #expect(try f.engine.store.read { try $0.subjectRow(for: eve) } != nil, "nothing was removed")
    }
}

/// The `tact` executable that `swift build` put beside the test bundle, run in a child process.
enum TactProcess {
    static func executable() throws -> URL {
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = runner.deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("tact")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        throw EngineError.invalidArgument("no tact executable beside \(runner.path): run 'swift build' (swift test builds it)")
    }

    /// Runs `tact ARGUMENTS`, stopped at `crashAt` if given; returns its exit status and output. The wait happens
    /// on a thread of its own: a test blocking one of the few threads of Swift's cooperative pool for seconds
    /// starves the async server tests that run beside it.
    static func run(_ arguments: [String], crashAt point: CrashPoint? = nil) async throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = try executable()
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        // The fixture's data directory keeps its own secret file and SQLite store.
        for name in ["TACT_SECRET", "TACT_SECRET_FILE", "TACT_DATABASE_URL", "TACT_CRASH_AT"] { environment[name] = nil }
        environment["TACT_LOG_LEVEL"] = "error"
        if let point { environment["TACT_CRASH_AT"] = point.rawValue }
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let reader = pipe.fileHandleForReading
        return await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                let output = reader.readDataToEndOfFile()
                process.waitUntilExit()
                continuation.resume(returning: (process.terminationStatus, String(decoding: output, as: UTF8.self)))
            }
        }
    }

    /// `tact recommend USER --json`, parsed.
    static func recommend(_ user: String, data: String) async throws -> (personalized: Bool, output: String) {
        let (status, output) = try await run(["recommend", user, "--json", "--data", data])
        guard status == 0, let line = output.split(separator: "\n").last(where: { $0.hasPrefix("{") }),
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], let personalized = object["personalized"] as? Bool
        else { throw EngineError.invalidArgument("tact recommend failed (\(status)): \(output)") }
        return (personalized, output)
    }
}
