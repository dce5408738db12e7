import HTTPTypes
import HummingbirdCore
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTPTypes

/// Keeps slow or numerous clients from holding the server: a connection must finish a request's head within
/// `headerSeconds` of being ready for one (opened, or its previous answer sent) and the request's body within
/// `bodySeconds` of its head, or it is closed; and at most `maximumConnections` are open at once (one more is
/// closed as soon as it opens). Idle keep-alive connections count as waiting for a head.
struct ConnectionLimits: Sendable {
    var headerSeconds: Double
    var bodySeconds: Double
    var maximumConnections: Int
    /// Connections open now, shared by every connection's handler.
    let open = NIOLockedValueBox(0)

    /// The handlers for one new connection.
    func handlers() -> [any RemovableChannelHandler] { [RequestDeadlineHandler(limits: self)] }
}

/// One connection's deadlines, and its place in the connection count (see `ConnectionLimits`).
final class RequestDeadlineHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let limits: ConnectionLimits
    private var deadline: Scheduled<Void>?
    private var counted = false

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
        arm(context, seconds: limits.headerSeconds)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
        if counted {
            counted = false
            limits.open.withLockedValue { $0 -= 1 }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
        if counted {
            counted = false
            limits.open.withLockedValue { $0 -= 1 }
        }
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: arm(context, seconds: limits.bodySeconds)
        case .end: disarm()
        case .body: break
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { arm(context, seconds: limits.headerSeconds) }
        context.write(data, promise: promise)
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
}
