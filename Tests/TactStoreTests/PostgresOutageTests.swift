import Foundation
import TactStore
import TactTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// PostgreSQL going away, stalling and coming back (issue 28, point 5): the store never waits past its deadline,
/// says the database cannot be reached (not that a statement failed), and reconnects by itself.
/// `Tests/Reliability/pg_restart.py` checks the same through a server under load.
@Suite struct PostgresOutageTests {
    @Test(
        "a server that accepts connections and never answers is given up after the address's timeout",
        .timeLimit(.minutes(1)))
    func silentServerIsGivenUp() throws {
        let silent = try SilentListener()
        let started = Date()
        #expect {
            _ = try PostgresStore(address: "postgres://tact@127.0.0.1:\(silent.port)/tact?timeout=1")
        } throws: { error in
            // Our deadline, or (on a loaded machine) the socket's own connect timeout, set from the same address.
            guard case StoreError.unreachable(let reason) = error else { return false }
            return reason.contains("did not answer within 1 s") || reason.contains("timeout (1 s)")
        }
        #expect(Date().timeIntervalSince(started) < 5, "the wait should end near the 1 s deadline")
    }

    @Test("a port nobody listens on is 'cannot be reached', which the server answers 503, not a failed statement")
    func refusedConnectionIsUnreachable() throws {
        let port = try SilentListener.closedPort()
        #expect {
            _ = try PostgresStore(address: "postgres://tact@127.0.0.1:\(port)/tact?timeout=2")
        } throws: { error in
            guard case StoreError.unreachable = error else { return false }
            return "\(error)".contains("reconnects by itself")
        }
    }

    @Test(
        "a statement that outlasts the timeout is abandoned, its connection closed, and the next one works",
        .disabled(if: StoreBackend.postgresURL == nil, Comment(rawValue: StoreBackend.postgresSkipReason)), .timeLimit(.minutes(1)))
    func slowStatementIsAbandoned() throws {
        let db = try TestStore(.postgres)
        _ = try db.open()
        let started = Date()
        #expect {
            try PostgresStore.rawExecute("SELECT pg_sleep(20)", address: db.address + "?timeout=1")
        } throws: { error in
            guard case StoreError.unreachable = error else { return false }
            return true
        }
        #expect(Date().timeIntervalSince(started) < 5)
        try PostgresStore.rawExecute("SELECT 1", address: db.address + "?timeout=1")
    }

    @Test(
        "after the server drops every connection (a restart), the store reconnects by itself",
        .disabled(if: StoreBackend.postgresURL == nil, Comment(rawValue: StoreBackend.postgresSkipReason)))
    func reconnectsAfterTheConnectionsDrop() throws {
        let db = try TestStore(.postgres)
        let store = try db.open()
        _ = try store.write { try $0.recordSettingIfAbsent("before", value: "1") }
        try Self.dropConnections(to: db)
        #expect(try Self.pastDroppedConnections { try store.read { try $0.setting("before") } } == "1")
        _ = try store.write { try $0.recordSettingIfAbsent("after", value: "2") }
        #expect(try store.read { try $0.setting("after") } == "2")
    }

    @Test(
        "a database that turned read-only refuses writes as 'cannot write', and the store remembers it for readiness",
        .disabled(if: StoreBackend.postgresURL == nil, Comment(rawValue: StoreBackend.postgresSkipReason)))
    func readOnlyDatabaseIsAWriteFault() throws {
        let db = try TestStore(.postgres)
        let store = try db.open()
        let name = try PostgresURL(db.address).database
        let server = try #require(StoreBackend.postgresURL).description(revealingPassword: true)
        try PostgresStore.rawExecute("ALTER DATABASE \"\(name)\" SET default_transaction_read_only = on", address: server)
        defer { try? PostgresStore.rawExecute("ALTER DATABASE \"\(name)\" RESET default_transaction_read_only", address: server) }
        try Self.dropConnections(to: db)
        #expect(store.recentWriteFault == nil)
        #expect {
            try Self.pastDroppedConnections { try store.write { try $0.recordSettingIfAbsent("probe", value: "1") } }
        } throws: { error in
            guard case StoreError.cannotWrite = error else { return false }
            return true
        }
        #expect(store.recentWriteFault?.contains("25006") == true)
        #expect(try store.read { try $0.setting("probe") } == nil, "reads go on")
    }

    /// Runs `body`, again when it fails as unreachable, three times at most: a connection the pool held may fail once
    /// after the server dropped it while idle (it said goodbye), but only ever as unreachable, never as a failed statement.
    static func pastDroppedConnections<T>(_ body: () throws -> T) throws -> T {
        for attempt in 1... {
            do { return try body() } catch StoreError.unreachable where attempt < 3 { continue }
        }
        fatalError("unreachable: the loop returns or throws by its third attempt")
    }

    /// Ends every session on the test's database but the caller's, as a restart of the server would.
    static func dropConnections(to db: TestStore) throws {
        let name = try PostgresURL(db.address).database
        let server = try #require(StoreBackend.postgresURL).description(revealingPassword: true)
        try PostgresStore.rawExecute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(name)' AND pid <> pg_backend_pid()", address: server)
        Thread.sleep(forTimeInterval: 0.3)
    }
}

/// A TCP port on loopback that accepts connections (the kernel completes them) and never says a word.
private final class SilentListener {
    let socket: Int32
    let port: Int

    init() throws {
        (socket, port) = try Self.bound()
        guard listen(socket, 16) == 0 else { throw StoreError.badAddress("listen failed") }
    }

    /// A port that was free a moment ago and has no listener.
    static func closedPort() throws -> Int {
        let (s, port) = try bound()
        close(s)
        return port
    }

    private static func bound() throws -> (Int32, Int) {
        let s = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(s, $0, length) == 0 && getsockname(s, $0, &length) == 0 }
        }
        guard s >= 0, bound else { throw StoreError.badAddress("no loopback port") }
        return (s, Int(UInt16(bigEndian: address.sin_port)))
    }

    deinit { close(socket) }
}
