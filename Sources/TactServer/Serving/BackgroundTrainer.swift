import Dispatch
import Foundation
import NIOConcurrencyHelpers
import ServiceLifecycle
import TactEngine

/// Retrains in the background, on a clock and/or after a number of new events, and swaps the new model
/// in atomically. Training runs on its own threads, never on the threads that answer requests.
final class BackgroundTrainer: Service, Sendable {
    private let builder: ModelBuilder
    private let registry: ModelRegistry
    private let metrics: ServerMetrics
    private let interval: Double?
    private let afterEvents: Int?
    private struct State {
        var eventsSinceTraining = 0
        var lastTraining = ProcessInfo.processInfo.systemUptime
        var running = false
        /// A retrain asked for by a completed erasure, restriction or withdrawal.
        var requested = false
    }
    private let state = NIOLockedValueBox(State())
    /// Serializes refreshes from routes and from the watch loop.
    private let refreshLock = NIOLock()

    init(builder: ModelBuilder, registry: ModelRegistry, metrics: ServerMetrics, interval: Double?, afterEvents: Int?) {
        self.builder = builder
        self.registry = registry
        self.metrics = metrics
        self.interval = interval
        self.afterEvents = afterEvents
    }

    /// Accepted events since the model in service was trained.
    var eventsSinceTraining: Int { state.withLockedValue { $0.eventsSinceTraining } }

    func noteAccepted(events: Int) {
        state.withLockedValue { $0.eventsSinceTraining += events }
    }

    /// Whether a retraining is due now.
    private var isDue: Bool {
        state.withLockedValue { s in
            if s.running { return false }
            if s.requested { return true }
            if let afterEvents, s.eventsSinceTraining >= afterEvents { return true }
            if let interval, ProcessInfo.processInfo.systemUptime - s.lastTraining >= interval, s.eventsSinceTraining > 0 { return true }
            return false
        }
    }

    /// Trains on the store as it is now and swaps the result in; returns the new version, or nil if a
    /// training was already running.
    @discardableResult
    func retrain() async throws -> Int? {
        let claimed = state.withLockedValue { s -> Bool in
            if s.running { return false }
            s.running = true
            return true
        }
        guard claimed else { return nil }
        defer { state.withLockedValue { $0.running = false } }
        state.withLockedValue { $0.requested = false }
        let counted = eventsSinceTraining
        let builder = self.builder
        let next = registry.current.version + 1
        let model = try await withCheckedThrowingContinuation { (c: CheckedContinuation<ServingModel, any Error>) in
            DispatchQueue.global().async { c.resume(with: Result { try builder.train(version: next) }) }
        }
        registry.install(model)
        state.withLockedValue { s in
            s.eventsSinceTraining -= counted
            s.lastTraining = ProcessInfo.processInfo.systemUptime
        }
        metrics.retrainings.increment()
        metrics.record(model: model)
        if builder.search != nil { metrics.record(choice: SearchChoice.load(from: builder.models)) }
        return model.version
    }

    /// Serves the saved model's patches when an erasure, restriction or withdrawal completed since the
    /// model in service read its data (here or in another process), and schedules a full retrain;
    /// serves a newer model that another server (or `tact train`) saved to the store.
    /// Returns whether the model in service changed.
    @discardableResult
    func refreshModel() throws -> Bool {
        try refreshLock.withLock {
            let algorithm = builder.current.spec.name
            let (mark, stored) = try ModelArtifacts(engine: builder.engine).markAndVersion(algorithm: algorithm)
            let current = registry.current
            if mark > current.requestMark {
                // The patched model may have been saved by another server: its version comes first.
                try ModelArtifacts(engine: builder.engine).sync(algorithm: algorithm)
                var next = try builder.refreshed(current, mark: mark)
                next.artifactVersion = max(next.artifactVersion, stored)
                registry.install(next)
                state.withLockedValue { $0.requested = true }
                metrics.record(model: next)
                return true
            }
            guard stored > current.artifactVersion else { return false }
            // A newer model in the store (checked against its SHA-256 when fetched): serve it whole.
            let next = try builder.loadOrTrain(version: current.version + 1)
            registry.install(next)
            metrics.record(model: next)
            builder.engine.logger.info("serving a newer saved model", metadata: ["algorithm": "\(algorithm)", "stored_version": "\(next.artifactVersion)"])
            return true
        }
    }

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(200))
            do { _ = try await StoreWork.background(waitsOnNetwork: builder.engine.storeWaitsOnNetwork) { try self.refreshModel() } } catch {
                builder.engine.logger.error("serving the patched model failed; a retrain is scheduled", metadata: ["error": "\(type(of: error))"])
                state.withLockedValue { $0.requested = true }
            }
            if isDue {
                do { try await retrain() } catch {
                    builder.engine.logger.error("background retraining failed; the previous model stays in service", metadata: ["error": "\(type(of: error))"])
                }
            }
        }
    }
}
