import Foundation
import Metrics
import NIOConcurrencyHelpers
import Prometheus
import TactEngine

/// The server's metrics, written through swift-metrics into its own Prometheus registry and read at `/metrics`.
/// A registry per server (not the process-wide one) keeps servers in one process, such as tests, apart.
final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory
    private struct RouteKey: Hashable {
        var method: String
        var route: String
        var status: Int
    }
    /// swift-metrics handles unregister themselves when released, so they are kept for the server's life.
    private let requestCounters = NIOLockedValueBox<[RouteKey: Metrics.Counter]>([:])
    private let latencyTimers = NIOLockedValueBox<[String: Metrics.Timer]>([:])
    let eventsAccepted: Metrics.Counter
    let eventsRefused: Metrics.Counter
    let modelVersion: Metrics.Gauge
    let modelTrainedAt: Metrics.Gauge
    let retrainings: Metrics.Counter
    /// The model search's choice: its validation NDCG@10 and popularity's (the guard: the first is never below the second).
    let searchValidationNDCG: Metrics.Gauge
    let searchPopularityNDCG: Metrics.Gauge
    /// 1 while the model the flags name is refused for scoring below popularity (popularity is served), else 0.
    let modelBelowPopularity: Metrics.Gauge
    let cacheHits: Metrics.Counter
    let cacheMisses: Metrics.Counter
    /// Anonymous session requests (recommendations and playlists): the only trace sessions leave.
    let sessionRequests: Metrics.Counter
    /// The last hour's ingestion and each route's latest latencies, for the operator console.
    let activity = RecentActivity()

    init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5),
            .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
            .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(10)
        ]
        self.factory = factory
        eventsAccepted = Metrics.Counter(label: "tact_events_accepted_total", factory: factory)
        eventsRefused = Metrics.Counter(label: "tact_events_refused_total", factory: factory)
        modelVersion = Metrics.Gauge(label: "tact_model_version", factory: factory)
        modelTrainedAt = Metrics.Gauge(label: "tact_model_trained_at_seconds", factory: factory)
        retrainings = Metrics.Counter(label: "tact_model_retrainings_total", factory: factory)
        searchValidationNDCG = Metrics.Gauge(label: "tact_model_search_validation_ndcg", factory: factory)
        searchPopularityNDCG = Metrics.Gauge(label: "tact_model_search_popularity_validation_ndcg", factory: factory)
        modelBelowPopularity = Metrics.Gauge(label: "tact_model_below_popularity", factory: factory)
        cacheHits = Metrics.Counter(label: "tact_recommendation_cache_hits_total", factory: factory)
        cacheMisses = Metrics.Counter(label: "tact_recommendation_cache_misses_total", factory: factory)
        sessionRequests = Metrics.Counter(label: "tact_session_requests_total", factory: factory)
    }

    /// The model now in service: its version, when it was trained, and whether the configured one was refused.
    func record(model: ServingModel) {
        modelVersion.record(model.version)
        modelTrainedAt.record(model.trainedAt)
        modelBelowPopularity.record(model.refusal == nil ? 0 : 1)
    }

    /// The search's choice in service, if the server searches.
    func record(choice: SearchChoice?) {
        guard let choice, let score = choice.score, let popularity = choice.popularityScore else { return }
        searchValidationNDCG.record(score)
        searchPopularityNDCG.record(popularity)
    }

    /// Counts a request and records its latency under the route's template (never the concrete path:
    /// paths hold person ids).
    func record(method: String, route: String, status: Int, nanoseconds: Int64) {
        let key = RouteKey(method: method, route: route, status: status)
        let counter = requestCounters.withLockedValue { counters in
            if let c = counters[key] { return c }
            let c = Metrics.Counter(
                label: "tact_http_requests_total", dimensions: [("method", method), ("route", route), ("status", String(status))], factory: factory)
            counters[key] = c
            return c
        }
        counter.increment()
        let timerKey = method + " " + route
        let timer = latencyTimers.withLockedValue { timers in
            if let t = timers[timerKey] { return t }
            let t = Metrics.Timer(
                label: "tact_http_request_duration_seconds", dimensions: [("method", method), ("route", route)], preferredDisplayUnit: .seconds,
                factory: factory)
            timers[timerKey] = t
            return t
        }
        timer.recordNanoseconds(nanoseconds)
        activity.recordLatency(route: timerKey, nanoseconds: nanoseconds)
    }

    /// The Prometheus text exposition of everything, with the model's age and the process's memory measured now.
    func exposition(modelAgeSeconds: Double?) -> String {
        var text = registry.emitToString() + ProcessMemory.exposition()
        if let age = modelAgeSeconds {
            text += "# TYPE tact_model_age_seconds gauge\ntact_model_age_seconds \(age)\n"
        }
        return text
    }
}
