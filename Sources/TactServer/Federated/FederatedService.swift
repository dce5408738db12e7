import Foundation
import TactFederated
import TactPrivacy

/// The federated training the server runs, at most one at a time; an actor, so steps from many
/// devices arrive in order.
actor FederatedService {
    private var session: FederatedSession?
    /// Builds the neighborhoods when a key step closes; runs off this actor. Tests hold it back.
    private let buildPlan: @Sendable (FederatedSession.KeysToClose) async throws -> MaskPlan

    init(buildPlan: @escaping @Sendable (FederatedSession.KeysToClose) async throws -> MaskPlan = FederatedService.build) {
        self.buildPlan = buildPlan
    }

    /// `MaskPlan.build` on a thread of its own priority, away from the actor.
    @Sendable static func build(_ keys: FederatedSession.KeysToClose) async throws -> MaskPlan {
        try await Task.detached(priority: .userInitiated) {
            try MaskPlan.build(owners: keys.owners, graph: keys.graph, minimumOwners: keys.minimum)
        }.value
    }

    func start(_ new: FederatedSession) throws {
        if let session, session.step != .finished {
            throw FederatedError.wrongStep(expected: .finished, now: session.step)
        }
        session = new
    }

    /// Whether a new training may start now (none running).
    func canStart() -> Bool { session == nil || session!.step == .finished }

    /// Stops the running training (its spent budget stays spent).
    func abort() throws {
        guard session != nil else { throw FederatedError.noSession }
        session = nil
    }

    /// Closes the current step. Closing the key step builds every device's neighborhood, which grows
    /// with the devices (and, for the complete graph, their square): that runs off this actor, so
    /// devices and readers are answered meanwhile (joins are refused while it runs).
    func advance() async throws {
        guard let step = session?.step, let id = session?.id else { throw FederatedError.noSession }
        guard step == .keys else { return try update { try $0.advance() } }
        let keys = try update { try $0.beginClosingKeys() }
        let plan: Result<MaskPlan, any Error>
        do { plan = .success(try await buildPlan(keys)) } catch { plan = .failure(error) }
        // The training may have been stopped (or replaced) meanwhile.
        guard session?.id == id, session?.aggregation == keys.aggregation, session?.closingKeys == true else {
            throw FederatedError.abandoned("the training was stopped or replaced while its keys step closed")
        }
        try session!.finishClosingKeys(plan)
    }

    func read<T>(_ body: (FederatedSession) throws -> T) throws -> T {
        guard let session else { throw FederatedError.noSession }
        return try body(session)
    }

    func update<T>(_ body: (inout FederatedSession) throws -> T) throws -> T {
        guard session != nil else { throw FederatedError.noSession }
        return try body(&session!)
    }
}
