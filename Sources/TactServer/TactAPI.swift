import Foundation
import Hummingbird
import Logging
import NIOPosix
import ServiceLifecycle
import TactEngine
import TactStore

/// The Tact HTTP API over one data directory: build it, then run `application()` (or test it).
public struct TactAPI: Sendable {
    let state: ServerState

    /// Opens the model to serve (the saved one, or one trained now from the store) and prepares the routes.
    public init(engine: Engine, settings: ServerSettings) throws {
        let metrics = ServerMetrics()
        var builder = ModelBuilder(engine: engine, spec: settings.model, parameters: settings.modelParameters)
        builder.evaluates = settings.evaluateModels
        builder.search = settings.modelSearch
        builder.searchEverySeconds = settings.searchEverySeconds
        builder.popularityGuardSeed = settings.servesBelowPopularity ? nil : settings.modelSeed
        builder.popularityCheck = settings.popularityCheck
        let initial = try builder.loadOrTrain(version: 1)
        metrics.record(model: initial)
        if builder.search != nil { metrics.record(choice: SearchChoice.load(from: builder.models)) }
        let registry = ModelRegistry(initial)
        let trainer = BackgroundTrainer(
            builder: builder, registry: registry, metrics: metrics,
            interval: settings.retrainIntervalSeconds, afterEvents: settings.retrainAfterEvents)
        let cache = try settings.recommendationCacheSeconds.map {
            RecommendationCache(
                lifetime: $0, capacity: settings.recommendationCacheBytes,
                watcher: try engine.storeChangeWatcher(), watchInterval: settings.cacheWatchSeconds)
        }
        let keys = KeyCache(service: APIKeyService(engine: engine), lifetime: settings.keyCacheSeconds)
        let limiter = RateLimiter(rate: settings.requestsPerSecond, burst: settings.burst)
        var monitorSettings = settings.guardMonitor
        monitorSettings.canaries.formUnion(try GuardCanaries.load(from: engine.directory))
        state = ServerState(
            engine: engine, settings: settings, registry: registry, trainer: trainer,
            retention: RetentionService(
                engine: engine, interval: settings.retentionIntervalSeconds, maximumShare: settings.retentionMaximumShare, cache: cache),
            catalog: try CatalogCache(engine: engine, watchInterval: settings.cacheWatchSeconds),
            keys: keys, metrics: metrics,
            cache: cache,
            audit: AuditRecorder(
                log: engine.audit, logger: engine.logger, interval: .milliseconds(Int64(settings.auditFlushSeconds * 1000)),
                batchSize: settings.auditBatchEntries),
            checkpointer: AuditCheckpointer(
                log: engine.audit,
                key: try settings.auditCheckpointSeconds.map { _ in try AuditSigningKey.loadOrCreate(in: engine.directory).key },
                interval: settings.auditCheckpointSeconds, logger: engine.logger),
            limiter: limiter,
            guardian: GuardService(
                engine: engine, keys: keys, limiter: limiter, settings: monitorSettings,
                response: settings.guardResponse, throttledRate: settings.guardThrottleRate,
                webhook: settings.guardWebhook.map { AlertWebhook(url: $0) },
                shared: settings.guardEnabled && (settings.guardShared ?? engine.storeIsShared),
                syncSeconds: settings.guardSyncSeconds, saveSeconds: settings.guardSaveSeconds),
            ads: AdsService(engine: engine, settings: settings.ads))
    }

    /// Every route, behind the middleware: metrics and logs, problem documents, canonical paths, authentication and rate
    /// limits; each route that processes a person's data is audited from its own declaration (`Router.person`).
    public func router() -> Router<TactRequestContext> {
        let router = Router(context: TactRequestContext.self)
        let table = RouteTable()
        router.add(middleware: RequestMetricsMiddleware(metrics: state.metrics))
        router.add(middleware: ProblemMiddleware(routes: table))
        router.add(middleware: RequestTargetMiddleware(maximumBytes: state.settings.maxRequestTargetBytes))
        router.add(
            middleware: AuthMiddleware(
                keys: state.keys, tokens: state.engine.personTokens, limiter: state.limiter,
                storeWaitsOnNetwork: state.engine.storeWaitsOnNetwork, timeoutSeconds: state.settings.requestTimeoutSeconds))
        OperationsRoutes(state: state).register(on: router)
        PolicyRoutes(state: state).register(on: router)
        EventRoutes(state: state).register(on: router)
        CatalogRoutes(state: state).register(on: router)
        RecommendationRoutes(state: state).register(on: router)
        SessionRoutes(state: state).register(on: router)
        PlaylistRoutes(state: state).register(on: router)
        AdsRoutes(state: state).register(on: router)
        PersonRoutes(state: state).register(on: router)
        RightsRoutes(state: state).register(on: router)
        AdminRoutes(state: state).register(on: router)
        RetentionRoutes(state: state).register(on: router)
        FederatedRoutes(state: state).register(on: router)
        GuardRoutes(state: state).register(on: router)
        WebAssets.register(on: router, state: state)
        PrivacyCenterRoutes(state: state).register(on: router)
        ConsoleRoutes(state: state).register(on: router)
        let routes = router.routes.map { (path: "\($0.path)", method: $0.method.rawValue) }
        // Every route declares who may call it, and one that names a person what it does with their data,
        // or it would go unchecked or unaudited.
        let undeclared = state.routes.undeclared(in: routes)
        precondition(undeclared.isEmpty, "routes registered without Router.route or Router.person: \(undeclared)")
        table.fill(from: routes)
        return router
    }

    /// The server: listens on the settings' host and port, retrains and applies retention in the background, and shuts down
    /// gracefully on SIGINT or SIGTERM (requests in flight are answered first).
    public func application(logger: Logger? = nil) -> some ApplicationProtocol {
        var log = logger ?? Logger(label: "tact.server")
        if logger == nil { log.logLevel = .info }
        let limits = ConnectionLimits(
            headerSeconds: state.settings.headerTimeoutSeconds, bodySeconds: state.settings.bodyTimeoutSeconds,
            maximumConnections: state.settings.maxConnections)
        return Application(
            router: router(),
            server: .http1(configuration: .init(additionalChannelHandlers: limits.handlers(), idleTimeout: .seconds(state.settings.idleTimeoutSeconds))),
            configuration: .init(address: .hostname(state.settings.host, port: state.settings.port), serverName: "tact"),
            // Shut down in reverse order, after the HTTP server: the last read records, then the last checkpoint.
            services: [
                state.trainer, state.retention, state.checkpointer, state.audit, state.guardian,
                HeapTrimmer(interval: state.settings.heapTrimSeconds, logger: state.engine.logger)
            ],
            eventLoopGroupProvider: state.settings.eventLoopThreads.map { .shared(MultiThreadedEventLoopGroup(numberOfThreads: $0)) } ?? .singleton,
            logger: log)
    }

    /// Serves until SIGINT or SIGTERM, then shuts down gracefully.
    public func run() async throws {
        try await application().runService()
    }

    /// Retrains now and serves the result; returns the new model version (nil if a training was running).
    public func retrain() async throws -> Int? { try await state.trainer.retrain() }

    /// Runs the retention job now, as the server's background service does; returns what it did.
    @discardableResult
    public func runRetention() async throws -> RetentionRun { try await state.retention.runOnce() }

    /// Returns once the background retention service has finished `count` scheduled runs.
    public func scheduledRetentionRuns(_ count: Int) async { await state.retention.scheduledRuns(count) }

    /// The public key (hex) that checks the audit checkpoints this server signs; nil when it signs none.
    public var auditPublicKey: String? { state.checkpointer.key?.publicKeyHex }

    /// Appends the reads recorded so far to the audit log now.
    public func flushAudit() async { await state.audit.flush() }

    /// Returns once every Guard alert raised so far is stored and acted on (they are in the background).
    public func settleGuard() async { await state.guardian.settled() }

    /// The version of the model in service.
    public var modelVersion: Int { state.registry.current.version }
}
