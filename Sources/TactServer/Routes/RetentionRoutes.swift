import Foundation
import Hummingbird
import TactEngine
import TactStore

/// What the retention job did: its recent runs. Needs the `audit` scope.
struct RetentionRoutes {
    let state: ServerState

    struct CategoryJSON: Encodable {
        var name: String
        var retentionDays: Int?
        var cutoff: Int64?
        var action: String
        var count: Int
        var note: String?
        var summary: String
    }

    struct RunJSON: Encodable {
        var id: Int64?
        var ranAt: Int64
        var actor: String
        var policyVersion: String
        var total: Int
        var categories: [CategoryJSON]

        init(_ run: RetentionRun) {
            id = run.id
            ranAt = run.ranAt
            actor = run.actor
            policyVersion = run.policyVersion
            total = run.total
            categories = run.categories.map {
                CategoryJSON(
                    name: $0.name, retentionDays: $0.retentionDays, cutoff: $0.cutoff, action: $0.action.rawValue,
                    count: $0.count, note: $0.note, summary: $0.summary)
            }
        }
    }

    struct RunList: Encodable {
        /// Seconds between the server's runs; nil when it does not run the job.
        var intervalSeconds: Double?
        var runs: [RunJSON]
    }

    func register(on router: Router<TactRequestContext>) {
        router.route(.get, "/v1/retention", .key(.audit), state: state) { request, context in
            let limit = try request.queryInt("limit", default: 20, range: 1...1_000)
            let runs = try RetentionJob(engine: state.engine).recentRuns(limit: limit)
            return try JSONResponse.make(RunList(intervalSeconds: state.retention.interval, runs: runs.map(RunJSON.init)))
        }
    }
}
