import Foundation
import Logging

/// Sends operational log lines to stderr at the level in TACT_LOG_LEVEL (default: warning, so that
/// command output stays clean unless someone asks for more; info for `tact serve`, a long-running server).
enum LogSetup {
    nonisolated(unsafe) private static var defaultLevel = Logger.Level.warning
    private static let once: Void = {
        let name = ProcessInfo.processInfo.environment["TACT_LOG_LEVEL"]?.lowercased() ?? defaultLevel.rawValue
        let level = Logger.Level(rawValue: name) ?? defaultLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }()

    static func bootstrapOnce(serving: Bool = false) {
        if serving { defaultLevel = .info }
        _ = once
    }
}
