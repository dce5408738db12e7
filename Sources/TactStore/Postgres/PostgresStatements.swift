import Logging
import PostgresNIO

/// Runs statements on one connection and waits for them, each at most `timeoutSeconds`: the `Store` protocol
/// is synchronous. Errors carry the statement's first words and the server's message, never the bound values.
/// A server that is gone, going away or silent past the deadline is `StoreError.unreachable`; after a deadline
/// the connection is closed (the statement cannot be taken back otherwise), so the pool drops it.
struct PostgresStatements {
    let connection: PostgresConnection
    let timeoutSeconds: Double
    private static let logger = Logger(label: "tact.postgres.query")
    /// The deadline of statements whose work grows with the store (`PostgresSession.executeLasting`): an hour.
    static let lastingSeconds = 3_600.0

    init(_ connection: PostgresConnection, timeoutSeconds: Double) {
        self.connection = connection
        self.timeoutSeconds = timeoutSeconds
    }

    /// Every row of a query, each made random-access.
    @discardableResult
    func rows(_ sql: String, _ values: [PostgresValue] = []) throws -> [PostgresRandomAccessRow] {
        try result(sql, values).rows.map { $0.makeRandomAccess() }
    }

    /// Runs a statement and returns how many rows it changed. `duplicate` is the error to throw in place
    /// of the server's when the statement breaks a unique key.
    @discardableResult
    func execute(_ sql: String, _ values: [PostgresValue] = [], duplicate: StoreError? = nil) throws -> Int {
        try result(sql, values, duplicate: duplicate).metadata.rows ?? 0
    }

    private func result(_ sql: String, _ values: [PostgresValue], duplicate: StoreError? = nil) throws -> PostgresQueryResult {
        let query = PostgresQuery(unsafeSQL: sql, binds: try PostgresValue.bindings(values))
        let connection = self.connection
        do {
            return try PostgresDeadline.wait(for: connection.query(query, logger: Self.logger), seconds: timeoutSeconds, expire: { connection.closeSoon() })
        } catch let error as StoreError {
            throw error
        } catch {
            if PostgresFailure.isUnreachable(error) { throw StoreError.unreachable(reason: PostgresFailure.describe(error)) }
            if let duplicate, PostgresFailure.sqlState(error) == PostgresFailure.uniqueViolation { throw duplicate }
            if let state = PostgresFailure.sqlState(error), PostgresFailure.storageStates.contains(state) {
                throw StoreError.cannotWrite(reason: PostgresFailure.describe(error))
            }
            throw StoreError.failed(what: "run \(Self.summary(sql))", reason: PostgresFailure.describe(error))
        }
    }

    /// The statement's first words, to say which one failed.
    static func summary(_ sql: String) -> String {
        let words = sql.split(whereSeparator: { $0 == " " || $0 == "\n" }).prefix(5).joined(separator: " ")
        return "'\(words)…'"
    }
}
