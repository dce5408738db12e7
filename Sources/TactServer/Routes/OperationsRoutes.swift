import Foundation
import Hummingbird
import TactStore

/// Health, metrics and the API description. Public: no key needed, and no personal data in any of them.
struct OperationsRoutes {
    let state: ServerState

    struct Health: Encodable {
        var status: String
        var modelVersion: Int?
        var detail: String?
    }

    func register(on router: Router<TactRequestContext>) {
        router.route(.get, "/health/live", .anyone, state: state) { _, _ in try JSONResponse.make(Health(status: "live")) }
        router.route(.get, "/health/ready", .anyone, state: state) { _, _ in try await ready() }
        router.route(.get, "/metrics", .anyone, state: state) { _, _ in
            let model = state.registry.current
            let age = Date().timeIntervalSince1970 - Double(model.trainedAt)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: state.metrics.exposition(modelAgeSeconds: age))))
        }
        router.route(.get, "/openapi.json", .anyone, state: state) { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.json)))
        }
    }

    /// How long readiness waits for a database server to answer before it says the store does not answer.
    static let readinessSeconds = 5.0

    /// Ready when the store answers a query (within `readinessSeconds` on a database server) and its last write
    /// did not fail for want of storage (a full disk). (A server without a trained model is ready: it serves the
    /// popular fallback.)
    func ready() async throws -> Response {
        let engine = state.engine
        do {
            try await StoreWork.run(waitsOnNetwork: engine.storeWaitsOnNetwork, timeout: Self.readinessSeconds) { try engine.checkStoreAnswers() }
        } catch {
            let detail =
                Self.isUnreachable(error) ? "the database cannot be reached; the server reconnects by itself once it answers" : "the store does not answer"
            return try JSONResponse.make(Health(status: "not-ready", detail: detail), status: .serviceUnavailable)
        }
        if let fault = state.engine.storeWriteFault {
            // Reads are still answered; writes are refused with 503 until storage is freed.
            return try JSONResponse.make(
                Health(status: "not-ready", detail: "the store cannot write (\(fault)): free space or fix the storage; reads are still answered"),
                status: .serviceUnavailable)
        }
        return try JSONResponse.make(Health(status: "ready", modelVersion: state.registry.current.version))
    }

    /// The database server is gone or silent: the store said so, or the wait for it passed its deadline.
    private static func isUnreachable(_ error: any Error) -> Bool {
        if case StoreError.unreachable = error { return true }
        return (error as? Problem)?.status == 503
    }
}
