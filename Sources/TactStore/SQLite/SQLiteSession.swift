import Crypto
import Foundation
import GRDB
import GRDBSQLite
import TactCore

/// Reads and writes inside one SQLite transaction. Statements used per record are cached by the connection.
/// Each concern of the store is implemented in its own file, `SQLiteSession+<concern>.swift`.
final class SQLiteSession: StoreWriter {
    let db: Database

    /// The per-event insert, bound through SQLite's C API: GRDB's argument arrays cost more than
    /// the insert itself on large imports.
    var insertInteractionStatement: Statement?

    /// The newest audit entry's id and hash, once read in this transaction: appends chain from it.
    var auditTail: (id: Int64, hash: [UInt8])?

    /// The audit handles of the subjects added in this transaction: their audit entries need not look them up.
    var newSubjectHandles: [Pseudonym: [UInt8]] = [:]

    init(_ db: Database) { self.db = db }
}

/// Tells SQLite to copy bound text before the call returns.
let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

extension SQLiteSession {
    /// Binds bytes as a blob (an empty one too, never NULL), copied before the call returns.
    func bindBlob(_ s: OpaquePointer, _ index: Int32, _ bytes: [UInt8]) {
        if bytes.isEmpty {
            sqlite3_bind_zeroblob(s, index, 0)
        } else {
            bytes.withUnsafeBytes { _ = sqlite3_bind_blob(s, index, $0.baseAddress, Int32($0.count), sqliteTransient) }
        }
    }

    /// A blob column of the current row; nil when NULL.
    func columnBlob(_ s: OpaquePointer, _ index: Int32) -> [UInt8]? {
        if sqlite3_column_type(s, index) == SQLITE_NULL { return nil }
        let count = Int(sqlite3_column_bytes(s, index))
        guard count > 0, let bytes = sqlite3_column_blob(s, index) else { return [] }
        return [UInt8](UnsafeRawBufferPointer(start: bytes, count: count))
    }

    /// The error of a C API call that returned `rc`, with SQLite's message.
    func failure(_ rc: Int32) -> DatabaseError {
        DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
    }

    /// Steps a statement bound through SQLite's C API that returns no rows, and resets it.
    func stepToEnd(_ s: OpaquePointer) throws {
        let rc = sqlite3_step(s)
        sqlite3_reset(s)
        guard rc == SQLITE_DONE else {
            throw failure(rc)
        }
    }
}
