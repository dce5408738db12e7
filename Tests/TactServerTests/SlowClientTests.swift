import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import TactServer

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Slow and numerous clients (issue 22, point 9): a connection that trickles its request head or body is
/// closed at its deadline, and connections past the cap are closed as they open, so neither can hold the server.
@Suite(.serialized) struct SlowClientTests {
    /// A raw TCP connection to 127.0.0.1:`port`.
    final class Socket {
        let fd: Int32

        init(port: Int) throws {
            fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard result == 0 else { throw POSIXError(.ECONNREFUSED) }
            var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        }

        deinit { close(fd) }

        func send(_ text: String) { _ = text.utf8CString.withUnsafeBufferPointer { Glibc.send(fd, $0.baseAddress!, $0.count - 1, Int32(MSG_NOSIGNAL)) } }

        /// Sends a prompt GET /health/live and returns what came back until the server paused for a read
        /// timeout after answering, so an answer split over several reads is whole ("" when nothing came
        /// within `seconds`, or the connection was closed first). The wait is long: a loaded machine may
        /// take seconds to answer, and a refused or closed connection still returns at once.
        func ask(within seconds: Double = 30) -> String {
            send("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n")
            var received: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 512)
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                let n = recv(fd, &buffer, buffer.count, 0)
                if n > 0 {
                    received += buffer.prefix(n)
                } else if n == 0 {
                    break
                } else if !received.isEmpty {
                    break  // a read timeout after the answer began: it is all here
                }
            }
            return String(decoding: received, as: UTF8.self)
        }

        /// Whether the server has closed the connection (a read returns end of file or a reset); false while it
        /// is still open (a read times out).
        var isClosedByServer: Bool {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = recv(fd, &buffer, buffer.count, 0)
                if n == 0 { return true }
                if n < 0 { return errno == ECONNRESET }
            }
        }
    }

    /// The start of the answer to a prompt GET /health/live on a new connection ("" when none came within 3 s).
    static func answer(port: Int) -> String {
        guard let socket = try? Socket(port: port) else { return "" }
        return socket.ask()
    }

    static func fixture() throws -> ServerFixture {
        try ServerFixture { s in
            // Two seconds: tight enough to test in a few seconds, loose enough for a loaded machine.
            s.headerTimeoutSeconds = 2
            s.bodyTimeoutSeconds = 2
            s.maxConnections = 8
        }
    }

    @Test("a client that trickles its request head, or its body, is closed at the deadline; a prompt one is answered")
    func slowClientsAreClosed() async throws {
        let f = try Self.fixture()
        try await f.application().test(.live) { client in
            let port = try #require(client.port)
            let slowHead = try Socket(port: port), slowBody = try Socket(port: port)
            slowHead.send("GET /health/live HTTP/1.1\r\nHost: x\r\n")
            slowBody.send("POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"events\":")
            for _ in 0..<5 {
                try await Task.sleep(for: .milliseconds(200))
                slowHead.send("X-Trickle: 1\r\n")
                slowBody.send(" ")
            }
            // The deadline is two seconds; a loaded machine may fire it late, so wait up to ten.
            #expect(try await eventually(within: 10) { slowHead.isClosedByServer }, "a head not finished within two seconds is closed")
            #expect(try await eventually(within: 10) { slowBody.isClosedByServer }, "a body not finished within two seconds is closed")
            // A fresh connection each try: on a machine loaded enough to starve the server past the two-second head
            // deadline (the end of a full CI run), one prompt connection may be closed too; a prompt client must
            // still be served within ten seconds.
            #expect(try await eventually(within: 10) { Self.answer(port: port).hasPrefix("HTTP/1.1 200") }, "a prompt client is still served")
        }
    }

    @Test("a keep-alive connection idle between requests is not slow: its next request, seconds later, is answered")
    func idleKeepAliveIsNotSlow() async throws {
        let f = try Self.fixture()
        try await f.application().test(.live) { client in
            let port = try #require(client.port)
            let socket = try Socket(port: port)
            #expect(socket.ask().hasPrefix("HTTP/1.1 200"))
            try await Task.sleep(for: .milliseconds(3_000))  // longer than the two-second head deadline
            #expect(socket.ask().hasPrefix("HTTP/1.1 200"), "the idle connection was closed as if it were slow")
        }
    }

    @Test("connections past the cap are closed as they open; once others close, new ones are served")
    func connectionCap() async throws {
        let f = try Self.fixture()
        try await f.application().test(.live) { client in
            let port = try #require(client.port)
            // (The test framework's own client may hold a connection too; the raw sockets here do the asking.)
            #expect(Self.answer(port: port).hasPrefix("HTTP/1.1 200"))
            var held: [Socket] = []
            for _ in 0..<12 { held.append(try Socket(port: port)) }
            #expect(
                try await eventually(within: 10) { held.filter(\.isClosedByServer).count >= 4 },
                "\(held.filter(\.isClosedByServer).count) of 12 extra connections were closed under a cap of 8")
            held.removeAll()
            #expect(
                try await eventually(within: 10, every: .milliseconds(100)) { Self.answer(port: port).hasPrefix("HTTP/1.1 200") },
                "served again once the others closed")
        }
    }
}
