import Foundation
import Testing
import TactCore
import TactTestSupport
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
