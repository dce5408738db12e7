import Foundation
import TactCore

/// The settings of one installation, kept in `config.json` in the data directory.
public struct TactConfiguration: Codable, Sendable, Equatable {
    public static let currentFormat = 1
    public var formatVersion: Int
    /// opt-in (GDPR) or opt-out (CCPA).
    public var consentMode: ConsentMode
    /// A value derived from the secret, to detect a wrong TACT_SECRET. Reveals nothing about the secret.
    public var secretCheck: String
    /// The total (ε, δ) differentially private releases may spend per dataset; absent: `PrivacyBudget.standard`.
    public var privacyBudget: PrivacyBudget?
    /// How free text in events is scrubbed of personal data before storage; absent: `PIIScrubbingPolicy.standard`.
    public var piiScrubbing: PIIScrubbingPolicy?

    public init(consentMode: ConsentMode, secretCheck: String) {
        formatVersion = Self.currentFormat
        self.consentMode = consentMode
        self.secretCheck = secretCheck
    }

    static func load(path: String) throws -> TactConfiguration {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EngineError.notInitialized(path: (path as NSString).deletingLastPathComponent)
        }
        do {
            let c = try JSONDecoder().decode(TactConfiguration.self, from: data)
            if c.formatVersion > currentFormat {
                throw EngineError.configInvalid(
                    path: path, field: "formatVersion", message: "\(c.formatVersion) is newer than this tact understands (\(currentFormat)); upgrade tact")
            }
            return c
        } catch let e as EngineError {
            throw e
        } catch let DecodingError.keyNotFound(key, _) {
            throw EngineError.configInvalid(path: path, field: key.stringValue, message: "is missing")
        } catch let DecodingError.dataCorrupted(ctx) {
            throw EngineError.configInvalid(
                path: path, field: ctx.codingPath.last?.stringValue ?? "-", message: "is not valid (consentMode is opt-in or opt-out)")
        } catch let DecodingError.typeMismatch(_, ctx) {
            throw EngineError.configInvalid(path: path, field: ctx.codingPath.last?.stringValue ?? "-", message: "has the wrong type")
        } catch {
            throw EngineError.configInvalid(path: path, field: "-", message: "is not valid JSON")
        }
    }

    func write(path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
