import ArgumentParser
import Dispatch
import Foundation
import TactEngine
import TactGuard
import TactServer

/// Options of the HTTP server, shared by `tact serve` and `tact demo --port`.
struct ServerOptions: ParsableArguments {
    @Option(help: "The address to listen on.") var host = "127.0.0.1"
    @Option(help: "Requests per second each API key may make on average.") var rate = 1_000.0
    @Option(help: "Requests a key may make at once above its average.") var burst = 2_000.0
    @Option(name: .customLong("max-body"), help: ArgumentHelp("The largest request body accepted, in bytes.", valueName: "BYTES")) var maxBody = 1 << 20
    @Option(help: ArgumentHelp("Seconds after which a request is answered 503.", valueName: "SECONDS")) var timeout = 10.0
    @Option(name: .customLong("retrain-every"), help: ArgumentHelp("Retrain in the background this often, when new events have arrived.", valueName: "SECONDS"))
    var retrainEvery: Double?
    @Option(
        name: .customLong("search-every"),
        help: ArgumentHelp(
            "With no model flag, how old the model search's choice may grow before a retraining searches again (default: a day).", valueName: "SECONDS"))
    var searchEvery = 86_400.0
    @Flag(
        name: .customLong("serve-below-popularity"),
        help:
            "With model flags, serve the model even when it scores below popularity on a validation part of the data (by default popularity is served instead, and the console and /metrics say so)."
    )
    var serveBelowPopularity = false
    @Option(name: .customLong("retrain-after"), help: ArgumentHelp("Retrain in the background after this many new events.", valueName: "EVENTS"))
    var retrainAfter: Int?
    @Option(
        name: .customLong("io-threads"),
        help: ArgumentHelp(
            "Threads for network I/O (default: one per core). On 2 cores, 1 left more CPU to the requests themselves (+8% recommendations per second).",
            valueName: "N")) var ioThreads: Int?
    @Option(
        name: .customLong("cache-seconds"),
        help: ArgumentHelp(
            "Keep each person's recommendation answers up to this long; 0 computes every answer. Changes through the server drop a person's answers at once; commits by anyone else (the CLI) drop all within a quarter second.",
            valueName: "SECONDS")) var cacheSeconds = 300.0
    @Option(name: .customLong("cache-megabytes"), help: ArgumentHelp("Memory for kept answers.", valueName: "MiB")) var cacheMegabytes = 128
    @Option(
        name: .customLong("retention-every"),
        help: ArgumentHelp(
            "Delete what the policy's retention periods say has expired when the server starts and then this often; 0 never does (run 'tact retention run' instead).",
            valueName: "SECONDS")) var retentionEvery = 3_600.0
    @Option(
        name: .customLong("retention-max-share"),
        help: ArgumentHelp(
            "A retention run that would delete more than this share of all events deletes nothing and is recorded as refused (a history imported with old timestamps, a period shortened by mistake); 1 lets every run delete.",
            valueName: "FRACTION")) var retentionMaxShare = RetentionJob.standardMaximumShare
    @Flag(
        name: .customLong("no-model-evaluation"),
        help: "Do not follow each training with a held-out evaluation (it costs one more training; the console's model-quality chart needs it).")
    var noModelEvaluation = false
    @Flag(name: .customLong("no-guard"), help: "Do not watch accesses for breaches (the Guard is on by default).") var noGuard = false
    @Option(name: .customLong("guard-medium"), help: "What the Guard does about a medium alert: alert, throttle or suspend.") var guardMedium = "alert"
    @Option(
        name: .customLong("guard-high"),
        help:
            "What the Guard does about a high alert (bulk reading of people new to the key, enumeration, export bursts); one within a day of a lifted throttle suspends."
    ) var guardHigh = "throttle"
    @Option(name: .customLong("guard-critical"), help: "What the Guard does about a critical alert.") var guardCritical = "suspend"
    @Option(
        name: .customLong("guard-decisive"),
        help:
            "What the Guard does about a decisive alert, at once, even while a key is observed: a canary touched, a role violated, reading through people or in id order."
    ) var guardDecisive = "suspend"
    @Option(
        name: .customLong("guard-observe"),
        help: ArgumentHelp(
            "A new key (or every key of a server with no Guard history) is observed this long: its alerts are recorded, not acted on, unless decisive.",
            valueName: "HOURS")) var guardObserve = 24.0
    @Option(
        name: .customLong("guard-throttle-rate"), help: ArgumentHelp("A key the Guard throttles may make this many requests per second.", valueName: "RATE"))
    var guardThrottleRate = 0.1
    @Option(name: .customLong("guard-webhook"), help: ArgumentHelp("POST each alert as JSON here, with retries.", valueName: "URL")) var guardWebhook: String?
    @Option(
        name: .customLong("guard-daily-persons"),
        help: ArgumentHelp(
            "What a key's role needs: at most N persons it never read before in 24 hours, or an enumeration alert (repeatable; keys not named are held to their own past days).",
            valueName: "KEY_ID=N")) var guardDailyPersons: [String] = []
    @Option(
        name: .customLong("guard-shared"),
        help: ArgumentHelp(
            "Share the Guard's windows and the rate limits with every server on the database: yes, no, or auto (yes on PostgreSQL).",
            valueName: "MODE")) var guardShared = "auto"
    @Option(
        name: .customLong("checkpoint-every"),
        help: ArgumentHelp("Sign an audit checkpoint this often while entries arrive, and at shutdown; 0: never (see 'tact audit').", valueName: "SECONDS"))
    var checkpointEvery = 60.0
    @Option(
        name: .customLong("heap-trim-every"),
        help: ArgumentHelp(
            "Give the heap's free pages back to the system this often (glibc malloc_trim), so resident memory follows what is in use; 0: never.",
            valueName: "SECONDS"))
    var heapTrimEvery = 10.0

    @Option(
        name: .customLong("event-purpose"),
        help: ArgumentHelp(
            "Let events of KIND claim these purposes (repeatable; * for every kind). By default an event may claim any purpose that needs consent, never 'essential'.",
            valueName: "KIND=PURPOSE[,PURPOSE…]")) var eventPurposes: [String] = []
    @Option(
        name: .customLong("header-timeout"),
        help: ArgumentHelp(
            "Close a connection whose request head is not complete this long after its first byte (after opening, for the first request).", valueName: "SECONDS"
        )) var headerTimeout = 10.0
    @Option(
        name: .customLong("body-timeout"),
        help: ArgumentHelp("Close a connection whose request body has not all arrived this long after its head.", valueName: "SECONDS")) var bodyTimeout = 30.0
    @Option(name: .customLong("max-connections"), help: "Connections open at once at most; more are closed as they open.") var maxConnections = 2_048
    @Option(
        name: .customLong("federated-devices-per-key"),
        help: ArgumentHelp(
            "Federated training: the most devices one API key may join to one aggregation. Devices of one key count once toward a training's minimumDevices; give each device or person its own ingest key.",
            valueName: "N")) var federatedDevicesPerKey = 16
    @Option(
        name: .customLong("federated-max-devices"),
        help: ArgumentHelp(
            "Federated training: the most devices one aggregation takes (a complete mask graph takes at most 1000; a Harary graph of degree d at most 1000000/d).",
            valueName: "N")) var federatedMaxDevices = 10_000

    func validate() throws {
        guard (1...1_000_000).contains(federatedDevicesPerKey) else { throw ValidationError("--federated-devices-per-key must be from 1 to 1000000") }
        guard (3...1_000_000).contains(federatedMaxDevices) else { throw ValidationError("--federated-max-devices must be from 3 to 1000000") }
        guard rate > 0, rate.isFinite, burst >= 1, burst.isFinite else { throw ValidationError("--rate must be positive and --burst at least 1") }
        guard (1024...(256 << 20)).contains(maxBody) else { throw ValidationError("--max-body must be from 1024 to 268435456 bytes") }
        guard searchEvery > 0, searchEvery.isFinite else { throw ValidationError("--search-every must be a positive number of seconds") }
        guard timeout > 0, timeout <= 3600 else { throw ValidationError("--timeout must be from 0 to 3600 seconds") }
        if let r = retrainEvery, !(r >= 1) { throw ValidationError("--retrain-every must be at least 1 second") }
        if let n = retrainAfter, n < 1 { throw ValidationError("--retrain-after must be at least 1 event") }
        if let n = ioThreads, !(1...256).contains(n) { throw ValidationError("--io-threads must be from 1 to 256") }
        guard cacheSeconds >= 0, cacheSeconds <= 86_400 else { throw ValidationError("--cache-seconds must be from 0 (no cache) to 86400") }
        guard (1...65_536).contains(cacheMegabytes) else { throw ValidationError("--cache-megabytes must be from 1 to 65536") }
        guard retentionMaxShare > 0, retentionMaxShare <= 1 else { throw ValidationError("--retention-max-share must be above 0 and at most 1") }
        guard retentionEvery == 0 || (retentionEvery >= 1 && retentionEvery <= 31_622_400) else {
            throw ValidationError("--retention-every must be 0 (off) or from 1 to 31622400 seconds (a year)")
        }
        guard checkpointEvery == 0 || (checkpointEvery >= 1 && checkpointEvery <= 86_400) else {
            throw ValidationError("--checkpoint-every must be 0 (never) or from 1 to 86400 seconds")
        }
        guard heapTrimEvery == 0 || (heapTrimEvery >= 1 && heapTrimEvery <= 86_400) else {
            throw ValidationError("--heap-trim-every must be 0 (never) or from 1 to 86400 seconds")
        }
        let mitigations = [
            ("--guard-medium", guardMedium), ("--guard-high", guardHigh), ("--guard-critical", guardCritical), ("--guard-decisive", guardDecisive)
        ]
        for (flag, value) in mitigations
        where GuardMitigation(rawValue: value) == nil {
            throw ValidationError("\(flag) must be alert, throttle or suspend")
        }
        guard guardObserve >= 0, guardObserve <= 24 * 365 else { throw ValidationError("--guard-observe must be from 0 to 8760 hours") }
        guard guardThrottleRate > 0, guardThrottleRate <= 1_000_000 else {
            throw ValidationError("--guard-throttle-rate must be above 0 and at most 1000000 requests per second")
        }
        guard headerTimeout > 0, headerTimeout <= 3600, bodyTimeout > 0, bodyTimeout <= 3600 else {
            throw ValidationError("--header-timeout and --body-timeout must be from 0 to 3600 seconds")
        }
        guard (1...1_000_000).contains(maxConnections) else { throw ValidationError("--max-connections must be from 1 to 1000000") }
        var purposes = EventPurposePolicy.standard
        for rule in eventPurposes {
            do { try purposes.allow(rule) } catch { throw ValidationError("--event-purpose \(rule.prefix(60)): \(error.description)") }
        }
        _ = try Self.dailyPersons(guardDailyPersons)
        guard ["yes", "no", "auto"].contains(guardShared) else { throw ValidationError("--guard-shared must be yes, no or auto, not '\(guardShared)'") }
        if let guardWebhook {
            guard let url = URL(string: guardWebhook), url.scheme == "http" || url.scheme == "https", url.host != nil else {
                throw ValidationError("--guard-webhook must be an http or https URL")
            }
        }
    }

    func settings(port: Int, model: ModelOptions) throws -> ServerSettings {
        var s = ServerSettings()
        s.host = host
        s.port = port
        s.requestsPerSecond = rate
        s.burst = burst
        s.maxBodyBytes = maxBody
        s.requestTimeoutSeconds = timeout
        s.retrainIntervalSeconds = retrainEvery
        s.retrainAfterEvents = retrainAfter
        s.recommendationCacheSeconds = cacheSeconds > 0 ? cacheSeconds : nil
        s.recommendationCacheBytes = cacheMegabytes << 20
        s.eventLoopThreads = ioThreads
        s.retentionIntervalSeconds = retentionEvery > 0 ? retentionEvery : nil
        s.retentionMaximumShare = retentionMaxShare
        s.auditCheckpointSeconds = checkpointEvery > 0 ? checkpointEvery : nil
        s.heapTrimSeconds = heapTrimEvery
        s.federatedDevicesPerKey = federatedDevicesPerKey
        s.federatedMaxDevices = federatedMaxDevices
        s.guardEnabled = !noGuard
        s.evaluateModels = !noModelEvaluation
        s.servesBelowPopularity = serveBelowPopularity
        s.modelSeed = model.seed
        s.guardResponse = GuardResponse(
            bySeverity: [
                .notice: .alert, .medium: GuardMitigation(rawValue: guardMedium)!, .high: GuardMitigation(rawValue: guardHigh)!,
                .critical: GuardMitigation(rawValue: guardCritical)!
            ], decisive: GuardMitigation(rawValue: guardDecisive)!)
        s.guardMonitor.observeSeconds = Int64(guardObserve * 3600)
        s.guardThrottleRate = guardThrottleRate
        s.guardWebhook = guardWebhook.flatMap(URL.init(string:))
        s.headerTimeoutSeconds = headerTimeout
        s.bodyTimeoutSeconds = bodyTimeout
        s.maxConnections = maxConnections
        for rule in eventPurposes { try s.eventPurposes.allow(rule) }
        s.guardMonitor.dailyPersons = (try? Self.dailyPersons(guardDailyPersons)) ?? [:]
        s.guardShared = guardShared == "auto" ? nil : guardShared == "yes"
        s.model = try model.resolvedSpec()
        s.modelParameters = model.parameters
        if model.searches {
            s.modelSearch = model.search()
            s.searchEverySeconds = searchEvery
        }
        return s
    }

    /// `--guard-daily-persons KEY_ID=N` values as the Guard's principals ("key:KEY_ID") and counts.
    static func dailyPersons(_ values: [String]) throws -> [String: Int] {
        var needs: [String: Int] = [:]
        for value in values {
            let parts = value.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, let n = Int(parts[1]), n >= 1 else {
                throw ValidationError("--guard-daily-persons takes KEY_ID=N with N a whole number of at least 1, not '\(value)'")
            }
            needs["key:" + parts[0]] = n
        }
        return needs
    }
}

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the HTTP API: events in, recommendations with reasons out.",
        discussion: """
            Serves the data directory over HTTP (JSON under /v1; the routes are described at /openapi.json). \
            Clients present an API key made with 'tact keys create'. The model is DIR/models/ALGORITHM.tactmodel, \
            or one trained at start from the consented events stored; new events change a person's next \
            recommendations at once, and --retrain-every / --retrain-after retrain in the background. \
            The retention job runs at start and every --retention-every seconds (default an hour).

            Stops gracefully on Ctrl-C or SIGTERM: requests in flight are answered first.
            Logs go to stderr (level: TACT_LOG_LEVEL, default info) and never hold raw user ids.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var server: ServerOptions
    @Option(help: "The port to listen on.") var port = 8080
    @OptionGroup var model: ModelOptions

    func validate() throws {
        guard (1...65_535).contains(port) else { throw ValidationError("--port must be from 1 to 65535") }
    }

    func run() throws {
        let engine = try global.openExisting()
        let api = try TactAPI(engine: engine, settings: try server.settings(port: port, model: model))
        Terminal.note(
            "Serving \(global.data) (database \(global.directory.databaseDescription)) on http://\(server.host):\(port) (model version \(api.modelVersion)); stop with Ctrl-C."
        )
        if let key = api.auditPublicKey {
            Terminal.note("Audit checkpoints every \(fixed(server.checkpointEvery, 0)) s, signed by key \(key) (check with 'tact audit verify').")
        }
        try AsyncBridge.run { try await api.run() }
    }
}

/// Runs async work to completion from a synchronous command.
enum AsyncBridge {
    static func run(_ body: @escaping @Sendable () async throws -> Void) throws {
        let done = DispatchSemaphore(value: 0)
        let failure = LockedFailure()
        Task {
            do { try await body() } catch { failure.set(error) }
            done.signal()
        }
        done.wait()
        if let error = failure.get() { throw error }
    }

    private final class LockedFailure: @unchecked Sendable {
        private let lock = NSLock()
        private var error: (any Error)?
        func set(_ e: any Error) { lock.lock(); error = e; lock.unlock() }
        func get() -> (any Error)? { lock.lock(); defer { lock.unlock() }; return error }
    }
}
