import Hummingbird
import Logging
import TactCore
import TactPrivacy

/// Per-request state: the core context and who is asking.
public struct TactRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The authenticated caller, set by `AuthMiddleware` when the request carries credentials.
    public var principal: Principal?
    /// The person a `{person}` route is about, set by the route's audit middleware (`Router.person`)
    /// from the matched parameter: their id is pseudonymized once per request, there.
    var person: PersonInPath?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    /// The id Hummingbird gave this request; it is in every log line about it and in the `X-Request-Id` header.
    var requestID: String { logger[metadataKey: "hb.request.id"]?.description ?? "" }
}

/// The person a route's `{person}` parameter names: the id as given, and its pseudonym.
struct PersonInPath: Sendable {
    let id: String
    let pseudonym: Pseudonym
}

extension TactRequestContext {
    /// The person this request is about. Their pseudonym was computed by the route's audit middleware;
    /// a route registered without one (there are none among the person routes) computes it here.
    func person(_ pseudonymizer: Pseudonymizer) throws -> PersonInPath {
        if let person { return person }
        let id = try pathValue("person")
        return PersonInPath(id: id, pseudonym: pseudonymizer.pseudonym(for: id))
    }
}
