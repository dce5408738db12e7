import Foundation
import NIOSSL
import PostgresNIO

/// A `postgres://user:password@host:port/database?sslmode=…` address, parsed into what a connection needs.
/// Its `description` never shows the password.
public struct PostgresURL: Sendable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    /// `disable` (the default), `prefer` or `require`; `require` verifies the server's certificate.
    public var sslMode: String
    /// How many connections this process keeps at most (`?pool=N`; 8 by default).
    public var poolSize: Int
    /// How long one statement or one connection attempt may wait for the server (`?timeout=SECONDS`; 30 by
    /// default). Past it the connection is closed and the caller told the database cannot be reached, so
    /// that a server that stopped answering (stuck, or its network gone) never holds a request for ever.
    public var timeoutSeconds: Double

    public static let defaultTimeoutSeconds = 30.0

    /// True for text that names a PostgreSQL database rather than a SQLite file.
    public static func isPostgres(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    public init(_ text: String) throws {
        guard Self.isPostgres(text), let components = URLComponents(string: text) else {
            throw StoreError.badAddress("'\(Self.redacted(text))' is not a postgres://user:password@host:port/database address")
        }
        guard let host = components.host, !host.isEmpty else {
            throw StoreError.badAddress("the address \(Self.redacted(text)) names no host; write postgres://user@host:5432/database")
        }
        self.host = host
        port = components.port ?? 5432
        username = components.user.flatMap { $0.removingPercentEncoding } ?? "postgres"
        password = components.password.flatMap { $0.removingPercentEncoding }
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        guard !path.isEmpty else {
            throw StoreError.badAddress("the address \(Self.redacted(text)) names no database; add /DATABASE after the host")
        }
        database = path
        sslMode = "disable"
        poolSize = 8
        timeoutSeconds = Self.defaultTimeoutSeconds
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let value = item.value, ["disable", "prefer", "require"].contains(value) else {
                    throw StoreError.badAddress("sslmode must be disable, prefer or require, not '\(item.value ?? "")'")
                }
                sslMode = value
            case "pool":
                guard let value = item.value.flatMap(Int.init), (1...256).contains(value) else {
                    throw StoreError.badAddress("pool must be a number of connections from 1 to 256, not '\(item.value ?? "")'")
                }
                poolSize = value
            case "timeout":
                guard let value = item.value.flatMap(Double.init), (1...3600).contains(value) else {
                    throw StoreError.badAddress("timeout must be a number of seconds from 1 to 3600, not '\(item.value ?? "")'")
                }
                timeoutSeconds = value
            default:
                throw StoreError.badAddress("unknown option '\(item.name)' in the database address (known: sslmode, pool, timeout)")
            }
        }
    }

    /// The same address naming another database on the same server.
    public func with(database: String) -> PostgresURL {
        var copy = self
        copy.database = database
        return copy
    }

    public var description: String { description(revealingPassword: false) }

    /// The address as text; with the password only when asked (for handing to another process).
    public func description(revealingPassword: Bool) -> String {
        let secret = password.map { revealingPassword ? ":" + ($0.addingPercentEncoding(withAllowedCharacters: .urlPasswordAllowed) ?? $0) : ":***" } ?? ""
        var text = "postgres://\(username)\(secret)@\(host):\(port)/\(database)"
        var options: [String] = []
        if sslMode != "disable" { options.append("sslmode=\(sslMode)") }
        if poolSize != 8 { options.append("pool=\(poolSize)") }
        if timeoutSeconds != Self.defaultTimeoutSeconds { options.append("timeout=\(String(format: "%g", timeoutSeconds))") }
        if !options.isEmpty { text += "?" + options.joined(separator: "&") }
        return text
    }

    /// An address as text with its password hidden, for error messages.
    static func redacted(_ text: String) -> String {
        guard var components = URLComponents(string: text), components.password != nil else { return text }
        components.password = "***"
        return components.string ?? "(an address)"
    }

    func configuration() throws -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS
        switch sslMode {
        case "require": tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        case "prefer": tls = .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
        default: tls = .disable
        }
        var configuration = PostgresConnection.Configuration(host: host, port: port, username: username, password: password, database: database, tls: tls)
        configuration.options.connectTimeout = .milliseconds(Int64(min(10, timeoutSeconds) * 1000))
        return configuration
    }
}
