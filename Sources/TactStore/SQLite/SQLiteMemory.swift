import GRDBSQLite

/// What SQLite's own allocator holds across every connection of the process (page caches, statements,
/// schemas): `/metrics` shows it beside the heap, so memory that grows can be told apart from a page cache
/// filling up as the database grows.
public enum SQLiteMemory {
    /// Bytes SQLite has allocated and not freed, now.
    public static var bytesInUse: Int64 { sqlite3_memory_used() }
    /// The most it has held at once since the process started.
    public static var peakBytes: Int64 { sqlite3_memory_highwater(0) }
}
