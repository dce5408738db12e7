import Foundation
import TactCore
import TactEngine
import TactGuard
import TactRecommend

/// How `tact serve` runs: where it listens, its limits, and when it retrains.
public struct ServerSettings: Sendable {
    /// Whether the Guard watches accesses and suspends keys on high and critical alerts.
    public var guardEnabled = true
    /// The Guard's windows, thresholds and canary persons (pseudonyms in hex).
    public var guardMonitor = AccessMonitor.Settings()
    /// What the Guard does about an alert: decisive ones suspend, high ones throttle, by default.
    public var guardResponse = GuardResponse.standard
    /// A key the Guard throttles may make this many requests per second (by default one every ten seconds).
    public var guardThrottleRate = 0.1
    /// Where alerts are POSTed as JSON (with retries); nil: nowhere.
    public var guardWebhook: URL?
    /// Whether the Guard's windows and the rate limits hold across every server sharing the database
    /// (accesses and rate usage go through the store, one server's Guard watches them all); nil: when
    /// the store is PostgreSQL.
    public var guardShared: Bool?
    /// How often the Guard syncs with the store when shared (the delay before it sees another server's accesses).
    public var guardSyncSeconds = 1.0
    /// How often the Guard saves its long-horizon state (who read whom, over days) to the store.
    public var guardSaveSeconds = 30.0
    public var host = "127.0.0.1"
    public var port = 8080
    /// Requests per second each API key may make on average (token bucket refill rate).
    public var requestsPerSecond = 1_000.0
    /// How many requests a key may make at once above the average (bucket size).
    public var burst = 2_000.0
    /// The largest request body accepted, in bytes.
    public var maxBodyBytes = 1 << 20
    /// The longest request path and query accepted, in bytes (longer: 414).
    public var maxRequestTargetBytes = 8_192
    /// Which purposes an event may claim, per kind (by default any purpose that needs consent; never `essential`).
    public var eventPurposes = EventPurposePolicy.standard
    /// The most events one ingestion request may carry.
    public var maxEventsPerRequest = 10_000
    /// A request still running after this many seconds is answered 503.
    public var requestTimeoutSeconds = 10.0
    /// A connection idle this long is closed.
    public var idleTimeoutSeconds: Int64 = 60
    /// A request's head must be complete within this many seconds of its first byte (of the connection's
    /// opening, for its first request), or the connection is closed: slow-header (slowloris) clients hold
    /// nothing long. A keep-alive connection waiting for its next request is idle (`idleTimeoutSeconds`).
    public var headerTimeoutSeconds = 10.0
    /// A request's body must arrive within this many seconds of its head, or the connection is closed.
    public var bodyTimeoutSeconds = 30.0
    /// Connections open at once at most; one more is closed as it opens.
    public var maxConnections = 2_048
    /// How long a person token lives.
    public var personTokenSeconds: Int64 = 3_600
    /// The wall clock, in seconds since 1970, that stamps each access to a person's data for the audit log and
    /// the Guard. Tests inject one to drive the Guard's windows without sleeping.
    public var clock: @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }
    /// How long an API key lookup is reused before the store is asked again (revocation takes at most this long).
    public var keyCacheSeconds = 2.0
    /// The model the server serves and retrains (its file is DIR/models/NAME.tactmodel).
    public var model: ModelSpec = .als(ALSConfiguration())
    /// The settings of `model`, written into the model file.
    public var modelParameters: [String: String] = [:]
    /// When set (no model flag was given), trainings pick the model by this search and serve its choice
    /// (DIR/models/search.json); `model` is served only until the first search has chosen.
    public var modelSearch: ModelSearch?
    /// A retraining searches again when the last choice is at least this old; in between it retrains the choice.
    public var searchEverySeconds: Double = 86_400
    /// Serve a model the flags name even when it scores below popularity on a validation part of the
    /// training data (`PopularityGuard`); by default popularity is served instead, and the console says why.
    public var servesBelowPopularity = false
    /// The seed of the validation part that check holds out (`--seed`).
    public var modelSeed: UInt64 = 1
    /// That check: `PopularityGuard.check`. Tests inject a verdict of their choosing.
    public var popularityCheck = PopularityGuard.seededCheck
    /// The rules of advertising (k-anonymity threshold, topic noise, report caps and suppression).
    public var ads = AdsSettings()
    /// Follow each training with a held-out evaluation (one more training), stored for the console's
    /// model-quality chart.
    public var evaluateModels = true
    /// Retrain in the background this often (nil: not on a clock).
    public var retrainIntervalSeconds: Double?
    /// Retrain in the background after this many accepted events (nil: not on a count).
    public var retrainAfterEvents: Int?
    /// Keep each person's recommendation answers this long (nil: compute every answer). Changes made
    /// through this server apply at once, commits by anyone else within `cacheWatchSeconds`.
    public var recommendationCacheSeconds: Double? = 300
    /// How much memory the kept answers may take.
    public var recommendationCacheBytes = 128 << 20
    /// How often the store is asked whether someone else committed (which drops every kept answer).
    public var cacheWatchSeconds = 0.25

    /// Run the retention job this often, the first time when the server starts (nil: never).
    /// `tact serve` sets it to an hour unless told otherwise.
    public var retentionIntervalSeconds: Double?
    /// A run that would delete more than this share of all events deletes nothing and is recorded as refused
    /// (`RetentionJob.maximumShare`); 1: no limit.
    public var retentionMaximumShare = RetentionJob.standardMaximumShare
    /// Sign an audit checkpoint this often when entries were appended, and at shutdown (nil: never).
    public var auditCheckpointSeconds: Double? = 60
    /// Give the C heap's free pages back to the system this often (`HeapTrimmer`); 0: never.
    public var heapTrimSeconds = 10.0
    /// Records of reads wait at most this long before they are appended to the audit log.
    public var auditFlushSeconds = 0.1
    /// Records of reads appended to the audit log in one transaction at most (a full batch is written at once).
    public var auditBatchEntries = 512

    /// Federated training: the most devices one API key may join to one aggregation. Devices of one
    /// key count once toward a training's `minimumDevices`, so a key cannot fill a sum on its own.
    public var federatedDevicesPerKey = 16
    /// Federated training: the most devices one aggregation takes (the complete mask graph takes at
    /// most 1,000, a Harary graph of degree d at most 1,000,000 / d: the shares the server holds).
    public var federatedMaxDevices = 10_000

    /// Threads for network I/O (nil: one per core, shared with the rest of the process).
    public var eventLoopThreads: Int?

    public init() {}
}
