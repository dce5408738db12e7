import Foundation
import GRDB
import TactCore

/// The embedded store: one SQLite file in WAL mode, migrated on open.
public final class SQLiteStore: Store {
    public let path: String
    private let pool: DatabasePool
    private let writeFaults = WriteFaults()

    /// 64 MiB of page cache for the writer (the default is 2 MiB): large imports insert into the subject
    /// index at random places, and a small cache spills on every insert.
    static let cacheSizePragma = "PRAGMA cache_size = -65536"
    /// 8 MiB for each reader: enough for the hot index pages; the operating system caches the file for all of
    /// them. With 64 MiB each, five readers' caches grew with the database (a training reads it whole) and held
    /// memory the soak saw creep up.
    static let readerCacheSizePragma = "PRAGMA cache_size = -8192"

    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    public init(path: String) throws {
        self.path = path
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // Deleted content is overwritten in the file, so erased data does not linger in free pages.
            try db.execute(sql: "PRAGMA secure_delete = ON")
            try db.execute(sql: db.configuration.readonly ? SQLiteStore.readerCacheSizePragma : SQLiteStore.cacheSizePragma)
        }
        // SQLite gives its -wal and -shm files the database file's mode: make that 0600 before it opens.
        PrivateMode.createFile(path)
        for file in [path, path + "-wal", path + "-shm"] { PrivateMode.apply(to: file) }
        do {
            pool = try DatabasePool(path: path, configuration: config)
            let migrator = SQLiteSchema.migrator
            if try pool.read({ db in try migrator.hasBeenSuperseded(db) }) {
                let applied = try pool.read { db in try migrator.appliedIdentifiers(db) }
                let known = Set(migrator.migrations)
                throw StoreError.newerSchema(path: path, found: applied.first { !known.contains($0) } ?? "?")
            }
            try migrator.migrate(pool)
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError {
            throw StoreError.cannotOpen(path: path, reason: error.message ?? "\(error)")
        }
    }

    public func read<T>(_ body: (any StoreReader) throws -> T) throws -> T {
        try pool.read { db in try body(SQLiteSession(db)) }
    }

    public func changeWatcher() throws -> (any StoreChangeWatcher)? {
        try SQLiteChangeWatcher(path: path, ignoringCommitsOf: pool)
    }

    public func readLatest<T>(_ body: (any StoreReader) throws -> T) throws -> T {
        try pool.unsafeRead { db in try body(SQLiteSession(db)) }
    }

    public func write<T>(_ body: (any StoreWriter) throws -> T) throws -> T {
        do {
            let result = try pool.write { db in try body(SQLiteSession(db)) }
            writeFaults.clear()
            return result
        } catch let error as DatabaseError where Self.isStorageFault(error) {
            // The transaction was rolled back; say what happened instead of passing on SQLite's code.
            let reason = error.message ?? "\(error.resultCode)"
            writeFaults.record(reason)
            throw StoreError.cannotWrite(reason: reason)
        }
    }

    public var recentWriteFault: String? { writeFaults.recent }

    /// A full disk (or a file at its size limit, which SQLite sees as a full disk or a failed write), or
    /// storage that became read-only.
    static func isStorageFault(_ error: DatabaseError) -> Bool {
        [.SQLITE_FULL, .SQLITE_IOERR, .SQLITE_READONLY].contains(error.resultCode)
    }

    /// The file and its write-ahead log.
    public func sizeInBytes() throws -> Int64? {
        [path, path + "-wal"].reduce(Int64(0)) { total, file in
            total + (((try? FileManager.default.attributesOfItem(atPath: file))?[.size] as? Int).map(Int64.init) ?? 0)
        }
    }

    /// Writes a consistent copy of the database to `destination` (absent or empty) on a reader connection: VACUUM
    /// INTO reads in a transaction of its own (so GRDB must not open one), and writers go on meanwhile (`SQLiteSnapshot.copy`).
    func vacuum(into destination: String) throws {
        try pool.unsafeRead { db in try db.execute(sql: "VACUUM INTO ?", arguments: [destination]) }
    }

    /// Copies the WAL into the main file, so that the database is one self-contained file.
    public func checkpoint() throws {
        try pool.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
    }
}
