import Foundation
import Hummingbird
import TactCore
import TactEngine
import TactPrivacy

/// Reads `Authorization: Bearer …`: an API key (`tact_…`) or a person token (`tpt1.…`). Credentials that
/// do not check out are refused here (401); a request without any goes on, and routes that need a
/// caller refuse it. Each key's requests are rate-limited. A key not in the cache is looked up in the
/// store as other store work is (`StoreWork`): off Swift's cooperative threads and within the request's
/// deadline when the store is a database server, so a stalled database never blocks every request.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = TactRequestContext
    let keys: KeyCache
    let tokens: PersonTokenSigner
    let limiter: RateLimiter
    let storeWaitsOnNetwork: Bool
    let timeoutSeconds: Double

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else { return try await next(request, context) }
        // Plain byte comparisons: Foundation's string functions cost more on Linux than the whole request.
        let bytes = header.utf8
        guard bytes.count <= 4096, bytes.count > 7,
            bytes.prefix(7).map({ $0 | 0x20 }).elementsEqual("bearer ".utf8)
        else {
            throw Problem.unauthorized("the Authorization header must be 'Bearer ' followed by an API key or a person token")
        }
        let credential = String(header.dropFirst(7)).trimmingWhitespace()
        var context = context
        let limitKey: String
        if credential.hasPrefix("tpt1.") {
            let token = try tokens.verify(credential, now: Int64(Date().timeIntervalSince1970))
            let keys = self.keys
            guard try await StoreWork.run(waitsOnNetwork: storeWaitsOnNetwork, timeout: timeoutSeconds, { try keys.isActive(keyID: token.keyID) }) else {
                throw Problem.unauthorized("the key that issued this person token has been revoked; ask the service for a new token")
            }
            context.principal = .person(token)
            limitKey = "person:" + Hex.encode(token.subject.bytes)
        } else {
            let keys = self.keys
            var found = keys.cached(credential)
            if found == nil {
                found = try await StoreWork.run(waitsOnNetwork: storeWaitsOnNetwork, timeout: timeoutSeconds) { try keys.authenticate(credential) }
            }
            guard let record = found ?? nil else {
                throw Problem.unauthorized(
                    "the API key is unknown, revoked or suspended by the Guard; 'tact keys list' shows which, 'tact keys reinstate' lifts a suspension")
            }
            context.principal = .key(record, scopes: APIKeyService.scopes(of: record))
            limitKey = record.id
        }
        if let wait = limiter.take(limitKey) {
            throw Problem.rateLimited(retryAfter: max(1, Int(wait.rounded(.up))))
        }
        return try await next(request, context)
    }
}
