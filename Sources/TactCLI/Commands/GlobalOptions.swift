import ArgumentParser
import TactCore
import TactEngine

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The data directory.", valueName: "DIR"))
    var data: String = "./tact-data"

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The database: postgres://user:password@host:port/name for PostgreSQL shared by several servers, or a SQLite file. Default: TACT_DATABASE_URL, else DIR/tact.sqlite.",
            valueName: "URL"))
    var database: String?

    var directory: DataDirectory { DataDirectory(path: data, database: database) }

    /// Opens the data directory, creating it (opt-in consent, built-in policy) on first use and saying so.
    func openEngine() throws -> Engine {
        let (engine, created) = try directory.openOrCreate()
        if created {
            Terminal.note(
                "Created the data directory \(data) (consent mode opt-in: nothing is stored for a person until they grant it; use 'tact init --mode opt-out' for CCPA-style consent)."
            )
        }
        return engine
    }

    /// Opens an existing data directory.
    func openExisting() throws -> Engine { try directory.open() }
}

extension ConsentMode: ExpressibleByArgument {}
extension InteractionKind: ExpressibleByArgument {}
extension InteractionFileFormat: ExpressibleByArgument {}
extension ItemFileFormat: ExpressibleByArgument {}

/// Parses a purpose list option, turning a bad name into a usage error.
func parsePurposes(_ text: String) throws -> [Purpose] {
    do { return try Purpose.parseList(text) } catch { throw UsageError(error.description) }
}
