import Foundation
import TactCore
import TactTestSupport
import Testing

@testable import TactEngine

@Suite struct DataDirectoryTests {
    let tmp = TemporaryDirectory()

    @Test func initializeCreatesAPrivateSecretConfigPolicyAndDatabase() throws {
        let dir = DataDirectory(path: tmp.file("data"), environment: [:])
        #expect(try dir.initialize(mode: .optOut))
        let mode = try FileManager.default.attributesOfItem(atPath: dir.secretPath)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(FileManager.default.fileExists(atPath: dir.databasePath))
        #expect(FileManager.default.fileExists(atPath: dir.policyPath))
        let engine = try dir.open()
        #expect(engine.configuration.consentMode == .optOut)
        #expect(engine.policy == .builtIn)
        // A second initialize changes nothing.
        #expect(try dir.initialize(mode: .optIn) == false)
        #expect(try dir.open().configuration.consentMode == .optOut)
        // The secret never enters the database or the configuration.
        let secret = try String(contentsOfFile: dir.secretPath, encoding: .utf8).trimmingWhitespace()
        #expect(!fileContains(dir.databasePath, secret))
        #expect(!fileContains(dir.configPath, secret))
    }

    @Test("every file in a data directory is 0600 and every folder 0700: a directory that existed open, the database and its WAL files")
    func everythingInTheDirectoryIsPrivate() throws {
        let path = tmp.file("existing")
        try FileManager.default.createDirectory(atPath: path + "/models", withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        chmod(path, 0o755)
        FileManager.default.createFile(atPath: path + "/models/old.tactmodel", contents: Data([1]), attributes: [.posixPermissions: 0o644])
        let dir = DataDirectory(path: path, environment: [:])
        #expect(try dir.initialize(mode: .optIn))
        let engine = try dir.open()
        try engine.store.write { w in _ = try w.upsertItem(Item(id: "i1", title: "One")) }
        _ = try engine.store.read { r in try r.itemRow(for: "i1") }
        func mode(_ p: String) -> Int { (try? FileManager.default.attributesOfItem(atPath: p)[.posixPermissions] as? Int) ?? -1 }
        #expect(mode(path) == 0o700 && mode(path + "/models") == 0o700)
        #expect(mode(path + "/models/old.tactmodel") == 0o600)
        for name in ["tact.sqlite", "tact.sqlite-wal", "tact.sqlite-shm", "keys.sqlite", "config.json", "policy.json", "secret.key"]
        where FileManager.default.fileExists(atPath: path + "/" + name) {
            #expect(mode(path + "/" + name) == 0o600, "\(name) has mode \(String(mode(path + "/" + name), radix: 8))")
        }
        #expect(FileManager.default.fileExists(atPath: path + "/tact.sqlite-wal"))
        // Whoever loosens a file later, the next open makes it private again.
        chmod(path + "/config.json", 0o644)
        _ = try dir.open()
        #expect(mode(path + "/config.json") == 0o600)
    }

    @Test func aSecretOthersCanReadIsRefused() throws {
        let dir = DataDirectory(path: tmp.file("loose"), environment: [:])
        try dir.initialize(mode: .optIn)
        chmod(dir.secretPath, 0o644)
        #expect { try dir.open() } throws: { error in
            guard case EngineError.secretReadableByOthers = error else { return false }
            return "\(error)".contains("chmod 600")
        }
    }

    @Test func aMissingOrWrongSecretIsRefused() throws {
        let dir = DataDirectory(path: tmp.file("gone"), environment: [:])
        try dir.initialize(mode: .optIn)
        let original = try String(contentsOfFile: dir.secretPath, encoding: .utf8)
        try FileManager.default.removeItem(atPath: dir.secretPath)
        #expect { try dir.open() } throws: { error in
            guard case EngineError.secretMissing = error else { return false }
            return true
        }
        let wrong = DataDirectory(path: dir.path, environment: ["TACT_SECRET": String(repeating: "7", count: 64)])
        #expect { try wrong.open() } throws: { error in
            guard case EngineError.secretMismatch = error else { return false }
            return true
        }
        let right = DataDirectory(path: dir.path, environment: ["TACT_SECRET": original])
        _ = try right.open()
    }

    @Test func secretFromTheEnvironmentWritesNoFile() throws {
        let dir = DataDirectory(path: tmp.file("env"), environment: ["TACT_SECRET": String(repeating: "ab", count: 32)])
        try dir.initialize(mode: .optIn)
        #expect(!FileManager.default.fileExists(atPath: dir.secretPath))
        _ = try dir.open()
        #expect(throws: (any Error).self) { try DataDirectory(path: tmp.file("short"), environment: ["TACT_SECRET": "short"]).initialize(mode: .optIn) }
    }

    @Test func notInitializedSaysHowToFixIt() throws {
        #expect { try DataDirectory(path: tmp.file("nothing"), environment: [:]).open() } throws: { error in
            "\(error)".contains("tact init")
        }
    }

    @Test func anInvalidPolicyFileIsNamed() throws {
        let dir = DataDirectory(path: tmp.file("policy"), environment: [:])
        try dir.initialize(mode: .optIn)
        try Data("{\"version\": \"x\"}".utf8).write(to: URL(fileURLWithPath: dir.policyPath))
        #expect { try dir.open() } throws: { error in
            guard case EngineError.configInvalid(_, let field, _) = error else { return false }
            return field == "controller"
        }
    }
}
