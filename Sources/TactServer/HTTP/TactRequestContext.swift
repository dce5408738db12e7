import Hummingbird
import Logging

/// Per-request state: the core context and who is asking.
public struct TactRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The authenticated caller, set by `AuthMiddleware` when the request carries credentials.
    public var principal: Principal?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    /// The id Hummingbird gave this request; it is in every log line about it and in the `X-Request-Id` header.
    var requestID: String { logger[metadataKey: "hb.request.id"]?.description ?? "" }
}
