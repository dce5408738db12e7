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

    init(_ db: Database) { self.db = db }
}

/// Tells SQLite to copy bound text before the call returns.
let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
