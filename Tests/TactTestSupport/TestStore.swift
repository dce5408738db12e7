import Foundation
import GRDB
import TactStore

/// Where a test's store lives: the conformance tests run each check on every backend available.
public enum StoreBackend: String, Sendable, CaseIterable, CustomStringConvertible {
    case sqlite, postgres
    public var description: String { rawValue }

    /// The address of the PostgreSQL server tests may use (`TACT_TEST_POSTGRES_URL`); nil when none.
    /// `.ci/run` starts one (`.ci/postgres.sh`) and sets it, so CI always runs the PostgreSQL half.
    public static let postgresURL: PostgresURL? = ProcessInfo.processInfo.environment["TACT_TEST_POSTGRES_URL"].flatMap { try? PostgresURL($0) }

    /// SQLite always; PostgreSQL when a test server is configured.
    public static let available: [StoreBackend] = postgresURL == nil ? [.sqlite] : [.sqlite, .postgres]

    /// Why the PostgreSQL runs were skipped (for `.disabled(if:)`).
    public static let postgresSkipReason =
        "TACT_TEST_POSTGRES_URL is not set, so every PostgreSQL conformance run was skipped; start a throwaway server with .ci/postgres.sh and export the address it prints"
}

/// A fresh, empty store for one test: a SQLite file in a temporary directory, or a new database on
/// the test PostgreSQL server, dropped when the value is released.
public final class TestStore: @unchecked Sendable {
    public let backend: StoreBackend
    /// What `--database` would name: the SQLite file's path, or the postgres:// address.
    public let address: String
    private let directory = TemporaryDirectory("tact-store")
    private let databaseName: String?
    private var stores: [any Store] = []

    public init(_ backend: StoreBackend) throws {
        self.backend = backend
        switch backend {
        case .sqlite:
            address = directory.file("tact.sqlite")
            databaseName = nil
        case .postgres:
            guard let server = StoreBackend.postgresURL else { throw StoreError.badAddress("TACT_TEST_POSTGRES_URL is not set") }
            let name = "tact_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            try PostgresDatabases.create(name, on: server)
            databaseName = name
            address = server.with(database: name).description(revealingPassword: true)
        }
    }

    /// Opens a store on the database (each call another connection pool or file handle, as another process would).
    public func open() throws -> any Store {
        let store: any Store = backend == .sqlite ? try SQLiteStore(path: address) : try PostgresStore(address: address)
        stores.append(store)
        return store
    }

    /// Runs a statement outside the store, as another program with access to the database would.
    public func rawExecute(_ sql: String) throws {
        switch backend {
        case .sqlite: try DatabaseQueue(path: address).write { try $0.execute(sql: sql) }
        case .postgres: try PostgresStore.rawExecute(sql, address: address)
        }
    }

    /// A path in the test's temporary directory.
    public func file(_ name: String) -> String { directory.file(name) }

    deinit {
        for case let store as PostgresStore in stores { store.close() }
        stores.removeAll()
        if let databaseName, let server = StoreBackend.postgresURL { try? PostgresDatabases.drop(databaseName, on: server) }
    }
}
