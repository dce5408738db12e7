import Foundation
import TactFederated
import TactPrivacy

/// The federated training the server runs, at most one at a time; an actor, so steps from many
/// devices arrive in order.
actor FederatedService {
    private var session: FederatedSession?

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

    func read<T>(_ body: (FederatedSession) throws -> T) throws -> T {
        guard let session else { throw FederatedError.noSession }
        return try body(session)
    }

    func update<T>(_ body: (inout FederatedSession) throws -> T) throws -> T {
        guard session != nil else { throw FederatedError.noSession }
        return try body(&session!)
    }
}
