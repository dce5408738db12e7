import Crypto
import Foundation
import PostgresNIO
import TactCore

/// Reads and writes on one PostgreSQL connection, inside the transaction `PostgresStore` opened.
///
/// Events are inserted in batches: `insertInteraction` queues them, and any statement that names the
/// interactions table (or the end of the transaction) sends the queue first as one multi-row insert.
/// A large import costs a round trip per few thousand events, not per event, and every statement that
/// reads or changes events sees those inserted before it. (No other table refers to interactions.)
/// Consent records, audit entries and new people are queued the same way, per table.
///
/// Each concern of the store is implemented in its own file, `PostgresSession+<concern>.swift`.
final class PostgresSession: StoreWriter {
    let db: PostgresStatements

    struct PendingInteraction {
        var subject: Int64, item: Int64, kind: String, value: Double, timestamp: Int64, context: String?, sealedContext: [UInt8]?
        /// nil for personalization.
        var purpose: String?
    }

    var pending: [PendingInteraction] = []

    /// The newest audit entry's id and hash, once read in this transaction: appends chain from it.
    var auditTail: (id: Int64, hash: [UInt8])?

    /// Events per insert (with free text, 8 parameters each: under PostgreSQL's 65,535 per statement).
    static let batchRows = 4_000

    init(_ statements: PostgresStatements) { db = statements }

    /// Appended rows of other tables (the consent ledger, the audit log, new people), queued like events:
    /// by table, sent before any statement that names the table, and at the end.
    var queued: [(table: String, columns: String, rows: [[PostgresValue]])] = []

    /// People added in this transaction, with their audit handles.
    var newSubjects: [Pseudonym: [UInt8]] = [:]

    func queue(_ table: String, columns: String, _ row: [PostgresValue]) throws {
        if let i = queued.firstIndex(where: { $0.table == table }) {
            queued[i].rows.append(row)
            if queued[i].rows.count >= Self.batchRows { try flush(table) }
        } else {
            queued.append((table, columns, [row]))
        }
    }

    /// Sends what is queued for the tables a statement names.
    func flush(for sql: String) throws {
        if !pending.isEmpty && sql.contains("interactions") { try flush() }
        for entry in queued where sql.contains(entry.table) { try flush(entry.table) }
    }

    func flush(_ table: String) throws {
        guard let i = queued.firstIndex(where: { $0.table == table }) else { return }
        let entry = queued.remove(at: i)
        let width = entry.rows[0].count
        var sql = "INSERT INTO \(entry.table) (\(entry.columns)) VALUES "
        var binds: [PostgresValue] = []
        binds.reserveCapacity(entry.rows.count * width)
        for (n, row) in entry.rows.enumerated() {
            sql += (n > 0 ? ",(" : "(") + (1...width).map { "$\(n * width + $0)" }.joined(separator: ",") + ")"
            binds.append(contentsOf: row)
        }
        // A person already stored is two pseudonyms sharing 63 bits (see `insertSubject`): refused, saying so.
        let clash = StoreError.failed(
            what: "add a person", reason: "another pseudonym has the same 63-bit row number; this deployment needs another pseudonym secret")
        try db.execute(sql, binds, duplicate: entry.table == "subjects" ? clash : nil)
    }

    /// Sends everything queued (before the transaction commits).
    func flushAll() throws {
        try flush()
        while let table = queued.first?.table { try flush(table) }
    }

    @discardableResult
    func rows(_ sql: String, _ values: [PostgresValue] = []) throws -> [PostgresRandomAccessRow] {
        try flush(for: sql)
        return try db.rows(sql, values)
    }

    @discardableResult
    func execute(_ sql: String, _ values: [PostgresValue] = []) throws -> Int {
        try flush(for: sql)
        return try db.execute(sql, values)
    }

    /// A statement whose work grows with the store (retention's pass over every expired event): it may wait up to
    /// `PostgresStatements.lastingSeconds`, not the address's timeout, so that a large store's retention is not cut
    /// off at 30 s and then retried in vain; a server that stalls still frees the thread within that time.
    @discardableResult
    func executeLasting(_ sql: String, _ values: [PostgresValue] = []) throws -> Int {
        try flush(for: sql)
        return try PostgresStatements(db.connection, timeoutSeconds: max(db.timeoutSeconds, PostgresStatements.lastingSeconds)).execute(sql, values)
    }

    func int(_ sql: String, _ values: [PostgresValue] = []) throws -> Int64? {
        try rows(sql, values).first.flatMap { try $0.optionalInt(0) }
    }

    /// Sends the queued events, in the order they were queued (ids follow it): runs of events without
    /// free text as columns of arrays (one short statement, cheap to parse however many rows), runs
    /// with free text as a multi-row VALUES list.
    func flush() throws {
        guard !pending.isEmpty else { return }
        let rows = pending
        pending.removeAll(keepingCapacity: true)
        var start = 0
        while start < rows.count {
            let plain = rows[start].context == nil && rows[start].sealedContext == nil && rows[start].purpose == nil
            var end = start + 1
            while end < rows.count, (rows[end].context == nil && rows[end].sealedContext == nil && rows[end].purpose == nil) == plain { end += 1 }
            if plain { try insertPlain(rows[start..<end]) } else { try insertWithText(rows[start..<end]) }
            start = end
        }
    }
}
