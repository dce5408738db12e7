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
    }
    private let state = NIOLockedValueBox(State())

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
        metrics.modelVersion.record(model.version)
        metrics.modelTrainedAt.record(model.trainedAt)
        return model.version
    }

    func run() async throws {
        guard interval != nil || afterEvents != nil else {
            try? await gracefulShutdown()
            return
        }
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(200))
            if isDue {
                do { try await retrain() } catch {
                    builder.engine.logger.error("background retraining failed; the previous model stays in service", metadata: ["error": "\(type(of: error))"])
                }
            }
        }
    }
}
