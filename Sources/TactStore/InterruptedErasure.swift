import TactCore

/// An erasure that was recorded but never completed or refused: the process doing it stopped (a crash, a
/// kill, a power cut) between its steps. The request keeps the person's pseudonym only while it is in this
/// state, so that the next process to open the store can finish it; completing or refusing it clears it.
public struct InterruptedErasure: Sendable, Equatable {
    /// The request's id.
    public var id: Int64
    /// The person being erased.
    public var subject: Pseudonym
    /// Who asked for it (an API key id, "token", "cli").
    public var actor: String
    public var receivedAt: Int64

    public init(id: Int64, subject: Pseudonym, actor: String, receivedAt: Int64) {
        self.id = id
        self.subject = subject
        self.actor = actor
        self.receivedAt = receivedAt
    }
}
