import HTTPTypes
import Hummingbird
import Logging

/// Turns every error into a problem document and tags every response with its request id.
struct ProblemMiddleware: RouterMiddleware {
    typealias Context = TactRequestContext
    let routes: RouteTable

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let requestID = context.requestID
        do {
            var response = try await next(request, context)
            response.headers[.requestID] = requestID
            return response
        } catch {
            var problem = Problem.from(error, request: request)
            if problem.status == 404, (error as? HTTPError)?.status == .notFound, let methods = routes.methods(for: request.uri.path) {
                let allowed = methods.sorted().joined(separator: ", ")
                problem = Problem(
                    status: .methodNotAllowed, type: "method-not-allowed", title: "Method not allowed",
                    detail: "\(request.method) is not served on this path; it allows \(allowed)")
                problem.allow = allowed
            }
            if problem.status >= 500 {
                // The error's own text may quote input; log its type and the route only.
                context.logger.error(
                    "request failed",
                    metadata: ["route": "\(context.endpointPath ?? "unmatched")", "error": "\(type(of: error))", "detail": "\(problem.detail)"])
            }
            var response = problem.response(requestID: requestID)
            response.headers[.requestID] = requestID
            return response
        }
    }
}

extension HTTPField.Name {
    static let requestID = Self("X-Request-Id")!
    static let secGPC = Self("Sec-GPC")!
}
