import Foundation
import TactGuard
import TactEngine
import TactRecommend

/// How `tact serve` runs: where it listens, its limits, and when it retrains.
public struct ServerSettings: Sendable {
    /// Whether the Guard watches accesses and suspends keys on high and critical alerts.
    public var guardEnabled = true
    /// The Guard's windows, thresholds and canary persons (pseudonyms in hex).
    public var guardMonitor = AccessMonitor.Settings()
    /// What the Guard does about an alert of each severity.
    public var guardMitigation: [GuardAlert.Severity: GuardMitigation] = [.medium: .alert, .high: .suspend, .critical: .suspend]
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
    /// The most events one ingestion request may carry.
    public var maxEventsPerRequest = 10_000
    /// A request still running after this many seconds is answered 503.
    public var requestTimeoutSeconds = 10.0
    /// A connection idle this long is closed.
    public var idleTimeoutSeconds: Int64 = 60
    /// How long a person token lives.
    public var personTokenSeconds: Int64 = 3_600
    /// How long an API key lookup is reused before the store is asked again (revocation takes at most this long).
    public var keyCacheSeconds = 2.0
    /// The model the server serves and retrains (its file is DIR/models/NAME.tactmodel).
    public var model: ModelSpec = .als(ALSConfiguration())
    /// The settings of `model`, written into the model file.
    public var modelParameters: [String: String] = [:]
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
    /// Sign an audit checkpoint this often when entries were appended, and at shutdown (nil: never).
    public var auditCheckpointSeconds: Double? = 60
    /// Records of reads wait at most this long before they are appended to the audit log.
    public var auditFlushSeconds = 0.1
    /// Records of reads appended to the audit log in one transaction at most (a full batch is written at once).
    public var auditBatchEntries = 512

    /// Threads for network I/O (nil: one per core, shared with the rest of the process).
    public var eventLoopThreads: Int?

    public init() {}
}
