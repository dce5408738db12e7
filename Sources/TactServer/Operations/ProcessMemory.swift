import CTactMemory
import Foundation
import TactStore

#if canImport(Glibc)
    import Glibc
#endif

/// Where the process's memory is, for `/metrics`: resident size, what the C heap holds in use and holds free
/// (a heap whose free part grows while its used part stays flat is fragmenting, not leaking), and SQLite's
/// share (page caches fill as the database grows, up to `cache_size` per connection).
enum ProcessMemory {
    /// The Prometheus text of the gauges, measured now.
    static func exposition() -> String {
        var lines: [String] = []
        func gauge(_ name: String, _ help: String, _ value: Int64?) {
            guard let value else { return }
            lines.append("# HELP \(name) \(help)\n# TYPE \(name) gauge\n\(name) \(value)")
        }
        gauge("tact_process_resident_bytes", "Resident memory of the server process.", residentBytes())
        let heap = tact_heap_usage_now()
        if heap.in_use > 0 {
            gauge("tact_heap_in_use_bytes", "C heap bytes allocated and not freed (mallinfo2 uordblks + hblkhd).", Int64(heap.in_use))
            gauge("tact_heap_free_bytes", "C heap bytes held free by the allocator (mallinfo2 fordblks).", Int64(heap.free))
        }
        gauge("tact_sqlite_memory_bytes", "Bytes SQLite holds across all connections (page caches, statements).", SQLiteMemory.bytesInUse)
        return lines.joined(separator: "\n") + "\n"
    }

    /// From /proc/self/statm (Linux); nil elsewhere.
    static func residentBytes() -> Int64? {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int64(fields[1]) else { return nil }
        return pages * Int64(sysconf(Int32(_SC_PAGESIZE)))
    }
}
