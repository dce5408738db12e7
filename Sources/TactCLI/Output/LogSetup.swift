import Foundation
import Logging

/// Sends operational log lines to stderr at the level in TACT_LOG_LEVEL (default: warning),
/// so that command output stays clean unless someone asks for more.
enum LogSetup {
    private static let once: Void = {
        let name = ProcessInfo.processInfo.environment["TACT_LOG_LEVEL"]?.lowercased() ?? "warning"
        let level = Logger.Level(rawValue: name) ?? .warning
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }()

    static func bootstrapOnce() { _ = once }
}
