import Foundation

/// Creating and dropping whole databases on a server: for tests and benchmarks that each want a fresh
/// database, and for `tact init` on an empty server. The names are checked, since they cannot be bound.
public enum PostgresDatabases {
    /// Creates the database `name` on the server `url` names (connecting to `url`'s own database).
    public static func create(_ name: String, on url: PostgresURL) throws {
        try check(name)
        try admin(url) { try $0.execute("CREATE DATABASE \"\(name)\"") }
    }

    /// Drops the database `name`, closing other sessions on it first; nothing happens when it is absent.
    public static func drop(_ name: String, on url: PostgresURL) throws {
        try check(name)
        try admin(url) { try $0.execute("DROP DATABASE IF EXISTS \"\(name)\" WITH (FORCE)") }
    }

    private static func check(_ name: String) throws {
        guard !name.isEmpty, name.count <= 63, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
            throw StoreError.badAddress("a database name must be 1 to 63 letters, digits or underscores, not '\(name)'")
        }
    }

    private static func admin(_ url: PostgresURL, _ body: (PostgresStatements) throws -> Void) throws {
        let pool = try PostgresConnectionPool(url: url)
        defer { pool.close() }
        try pool.withConnection(body)
    }
}
