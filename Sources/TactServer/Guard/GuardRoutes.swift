import Foundation
import Hummingbird
import TactStore

/// The Guard's alerts: what it saw and what it did. Needs the `audit` scope.
struct GuardRoutes {
    let state: ServerState

    struct AlertList: Encodable { var alerts: [GuardAlertJSON] }

    func register(on router: Router<TactRequestContext>) {
        router.route(.get, "/v1/guard/alerts", .key(.audit), state: state) { request, context in
            let limit = try request.queryInt("limit", default: 100, range: 1...10_000)
            let alerts = try state.engine.guardRecords.alerts(limit: limit)
            return try JSONResponse.make(AlertList(alerts: alerts.map(GuardAlertJSON.init)))
        }
    }
}
