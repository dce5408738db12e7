import ArgumentParser
import Foundation
import TactCore
import TactEngine
import TactPrivacy
import TactStore

/// Runs `tact` with arguments and returns the exit status:
/// 0 success, 1 bad data or a failed operation, 2 a usage error.
public enum TactMain {
    public static func run(_ arguments: [String]) -> Int32 {
        LogSetup.bootstrapOnce(serving: arguments.first == "serve" || arguments.contains("--port"))
        do {
            var command = try TactCommand.parseAsRoot(arguments)
            try command.run()
            return 0
        } catch {
            return run(error)
        }
    }

    /// Reports an error on stderr and returns its exit status.
    static func run(_ error: any Error) -> Int32 {
        do {
            throw error
        } catch let error as CleanExit {
            print(TactCommand.fullMessage(for: error))
            return 0
        } catch let error as ExitCode {
            return error.rawValue
        } catch let error as RolledBack {
            let status = run(error.underlying)
            Terminal.note("nothing was written: the import is one transaction and was rolled back")
            return status
        } catch let error as UsageError {
            Terminal.error(error.message)
            return 2
        } catch let error as InputError {
            Terminal.error(error.description)
            return 1
        } catch let error as EngineError {
            Terminal.error(error.description)
            return 1
        } catch let error as StoreError {
            Terminal.error(error.description)
            return 1
        } catch let error as SecretKeyError {
            Terminal.error(error.description)
            return 1
        } catch let error as AuditError {
            Terminal.error(error.description)
            return 1
        } catch let error as PolicyError {
            Terminal.error(error.description)
            return 1
        } catch {
            let code = TactCommand.exitCode(for: error)
            if code == .success {
                print(TactCommand.fullMessage(for: error))
                return 0
            }
            if code == .validationFailure {
                var message = TactCommand.fullMessage(for: error)
                if message.hasPrefix("Error: ") { message.removeFirst("Error: ".count) }
                Terminal.error(message)
                Terminal.error("run 'tact help' or 'tact help COMMAND' for usage")
                return 2
            }
            Terminal.error("\(error)")
            return 1
        }
    }
}

/// A failed import, rolled back: reported as its cause, then a note that nothing was written.
struct RolledBack: Error {
    let underlying: any Error
}

/// Wrong use of a command that the parser cannot see (a bad purpose name, conflicting options). Exit 2.
struct UsageError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
