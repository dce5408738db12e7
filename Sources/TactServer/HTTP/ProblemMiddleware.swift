import Hummingbird
import HTTPTypes
import Logging

/// Turns every error into a problem document and tags every response with its request id.
struct ProblemMiddleware: RouterMiddleware {
    typealias Context = TactRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let requestID = context.requestID
        do {
            var response = try await next(request, context)
            response.headers[.requestID] = requestID
            return response
        } catch {
            let problem = Problem.from(error, request: request)
            if problem.status >= 500 {
                // The error's own text may quote input; log its type and the route only.
                context.logger.error("request failed", metadata: ["route": "\(context.endpointPath ?? "unmatched")", "error": "\(type(of: error))", "detail": "\(problem.detail)"])
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
