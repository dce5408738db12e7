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
        var command: any ParsableCommand
        do {
            command = try TactCommand.parseAsRoot(arguments)
        } catch {
            return run(error)
        }
        do {
            try command.run()
            return 0
        } catch let error as ValidationError {
            // Found while running (a flag that only the data shows to be wrong): the parser's usage text would be
            // the root command's, so name the command instead.
            Terminal.error(error.message)
            Terminal.error("run 'tact \(commandPath(arguments)) --help' for usage")
            return 2
        } catch {
            return run(error)
        }
    }

    /// The subcommands `arguments` name, as typed ("consent grant").
    static func commandPath(_ arguments: [String]) -> String {
        var path: [String] = []
        var choices = TactCommand.configuration.subcommands
        for argument in arguments {
            guard let next = choices.first(where: { $0._commandName == argument }) else { break }
            path.append(argument)
            choices = next.configuration.subcommands
        }
        return path.joined(separator: " ")
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
        } catch let error as RetentionRefused {
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
