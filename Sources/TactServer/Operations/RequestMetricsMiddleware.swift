import Hummingbird
import Logging

/// Counts and times every request per route template and method, and writes a debug log line for it
/// with the request id, route template, status and duration (never the path: it may hold a person id).
struct RequestMetricsMiddleware: RouterMiddleware {
    typealias Context = TactRequestContext
    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        var status = 500
        defer {
            let elapsed = ContinuousClock.now - started
            let nanoseconds = elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000
            let route = context.endpointPath ?? "unmatched"
            metrics.record(method: request.method.rawValue, route: route, status: status, nanoseconds: nanoseconds)
            context.logger.debug(
                "request", metadata: ["method": "\(request.method)", "route": "\(route)", "status": "\(status)", "ms": "\(Double(nanoseconds) / 1e6)"])
        }
        let response = try await next(request, context)
        status = response.status.code
        return response
    }
}
