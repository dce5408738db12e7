import HTTPTypes
import HummingbirdCore
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTPTypes

/// Keeps slow or numerous clients from holding the server: a request's head must be complete within
/// `headerSeconds` of its first byte (of the connection's opening, for its first request), and its body within
/// `bodySeconds` of the head, or the connection is closed; and at most `maximumConnections` are open at once
/// (one more is closed as soon as it opens). A keep-alive connection waiting, without a byte, for its next
/// request is idle, not slow: the server's idle timeout governs it.
struct ConnectionLimits: Sendable {
    var headerSeconds: Double
    var bodySeconds: Double
    var maximumConnections: Int
    /// Connections open now, shared by every connection's handler.
    let open = NIOLockedValueBox(0)

    /// The handlers for one new connection.
    func handlers() -> [any RemovableChannelHandler] { [RequestDeadlineHandler(limits: self)] }
}

/// One connection's deadlines, and its place in the connection count (see `ConnectionLimits`). It sits after
/// the HTTP decoder, and puts a `FirstByteWatcher` before it to learn when a new request starts arriving.
final class RequestDeadlineHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private enum Phase { case idle, head, body, answering }

    private let limits: ConnectionLimits
    private var deadline: Scheduled<Void>?
    private var counted = false
    private var phase = Phase.head
    /// Bytes arrived since the last request's end (a pipelined or next request has begun).
    private var bytesSinceEnd = false

    init(limits: ConnectionLimits) { self.limits = limits }

    func handlerAdded(context: ChannelHandlerContext) {
        let admitted = limits.open.withLockedValue { open -> Bool in
            guard open < limits.maximumConnections else { return false }
            open += 1
            return true
        }
        guard admitted else {
            context.close(promise: nil)
            return
        }
        counted = true
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        let watcher = FirstByteWatcher { [weak self] in
            guard let self else { return }
            self.bytesArrived(loopBound.value)
        }
        try? context.pipeline.syncOperations.addHandler(watcher, position: .first)
        // A new connection is expected to send its first request at once.
        arm(context, seconds: limits.headerSeconds)
    }

    func handlerRemoved(context: ChannelHandlerContext) { release() }

    func channelInactive(context: ChannelHandlerContext) {
        release()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            phase = .body
            arm(context, seconds: limits.bodySeconds)
        case .end:
            phase = .answering
            bytesSinceEnd = false
            disarm()
        case .body: break
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data), phase == .answering {
            if bytesSinceEnd {
                phase = .head
                arm(context, seconds: limits.headerSeconds)
            } else {
                phase = .idle
            }
        }
        context.write(data, promise: promise)
    }

    /// Raw bytes came in: while idle, a new request has begun and its head has `headerSeconds`.
    private func bytesArrived(_ context: ChannelHandlerContext) {
        switch phase {
        case .idle:
            phase = .head
            arm(context, seconds: limits.headerSeconds)
        case .answering:
            bytesSinceEnd = true
        case .head, .body:
            break
        }
    }

    private func arm(_ context: ChannelHandlerContext, seconds: Double) {
        deadline?.cancel()
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        deadline = context.eventLoop.scheduleTask(in: .milliseconds(Int64(seconds * 1000))) {
            loopBound.value.close(promise: nil)
        }
    }

    private func disarm() {
        deadline?.cancel()
        deadline = nil
    }

    private func release() {
        disarm()
        if counted {
            counted = false
            limits.open.withLockedValue { $0 -= 1 }
        }
    }
}

/// Sits first in a connection's pipeline, before the HTTP decoder, and tells its owner whenever bytes arrive.
final class FirstByteWatcher: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    private let onBytes: () -> Void

    init(onBytes: @escaping () -> Void) { self.onBytes = onBytes }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        onBytes()
        context.fireChannelRead(data)
    }
}
