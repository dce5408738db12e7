import Logging
import PostgresNIO

/// Runs statements on one connection and waits for them: the `Store` protocol is synchronous.
/// Errors carry the statement's first words and the server's message, never the bound values.
struct PostgresStatements {
    let connection: PostgresConnection
    private static let logger = Logger(label: "tact.postgres.query")

    init(_ connection: PostgresConnection) { self.connection = connection }

    /// Every row of a query, each made random-access.
    @discardableResult
    func rows(_ sql: String, _ values: [PostgresValue] = []) throws -> [PostgresRandomAccessRow] {
        try result(sql, values).rows.map { $0.makeRandomAccess() }
    }

    /// Runs a statement and returns how many rows it changed.
    @discardableResult
    func execute(_ sql: String, _ values: [PostgresValue] = []) throws -> Int {
        try result(sql, values).metadata.rows ?? 0
    }

    /// The first column of the first row, if any.
    func scalar(_ sql: String, _ values: [PostgresValue] = []) throws -> PostgresRandomAccessRow? {
        try rows(sql, values).first
    }

    private func result(_ sql: String, _ values: [PostgresValue]) throws -> PostgresQueryResult {
        let query = PostgresQuery(unsafeSQL: sql, binds: try PostgresValue.bindings(values))
        do {
            return try connection.query(query, logger: Self.logger).wait()
        } catch {
            throw StoreError.failed(what: "run \(Self.summary(sql))", reason: PostgresFailure.describe(error))
        }
    }

    /// The statement's first words, to say which one failed.
    static func summary(_ sql: String) -> String {
        let words = sql.split(whereSeparator: { $0 == " " || $0 == "\n" }).prefix(5).joined(separator: " ")
        return "'\(words)…'"
    }
}
