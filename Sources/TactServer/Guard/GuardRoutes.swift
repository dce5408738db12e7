import Foundation
import Hummingbird
import TactStore

/// The Guard's alerts: what it saw and what it did. Needs the `audit` scope.
struct GuardRoutes {
    let state: ServerState

    struct AlertJSON: Encodable {
        var id: Int64?
        var at: Int64
        var principal: String
        var severity: String
        var kind: String
        var explanation: String
        var persons: Int
        var action: String
    }

    struct AlertList: Encodable { var alerts: [AlertJSON] }

    func register(on router: Router<TactRequestContext>) {
        router.get("/v1/guard/alerts") { request, context in
            _ = try context.require(.audit)
            let limit = try request.queryInt("limit", default: 100, range: 1...10_000)
            let alerts = try state.engine.store.read { try $0.guardAlerts(limit: limit) }
            return try JSONResponse.make(AlertList(alerts: alerts.map {
                AlertJSON(id: $0.id, at: $0.at, principal: $0.principal, severity: $0.severity, kind: $0.kind, explanation: $0.explanation,
                          persons: $0.persons, action: $0.action)
            }))
        }
    }
}
