import Foundation
import TactEngine
import TactPrivacy

/// Everything the routes share: the engine, the settings, the model being served and the caches.
struct ServerState: Sendable {
    let engine: Engine
    let settings: ServerSettings
    let registry: ModelRegistry
    let trainer: BackgroundTrainer
    /// Runs the retention job on a clock (or not at all).
    let retention: RetentionService
    let catalog: CatalogCache
    let keys: KeyCache
    let metrics: ServerMetrics
    /// Recent recommendation answers, when `ServerSettings.recommendationCacheSeconds` is set.
    let cache: RecommendationCache?
    /// Records reads of personal data in the audit log, in batches.
    let audit: AuditRecorder
    /// Signs audit checkpoints on a clock and at shutdown.
    let checkpointer: AuditCheckpointer
    /// Requests per second per key (and per person), which the Guard can lower for one key.
    let limiter: RateLimiter
    /// The Guard: watches every audited access and acts on alerts.
    let guardian: GuardService
    /// Federated training over HTTP (at most one at a time).
    let federated = FederatedService()
    /// Privacy-preserving advertising: campaigns, topics, audiences, reports.
    let ads: AdsService
    /// What each route declared as it was registered: who may call it, and what a person route does with their data.
    let routes = RouteDeclarations()
    let startedAt = Date()
}
