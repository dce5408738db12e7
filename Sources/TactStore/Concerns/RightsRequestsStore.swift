import Foundation
import TactCore

/// Data-subject requests and their progress.
/// Read inside any `Store.read` or `Store.write`; `StoreReader` composes every concern's reader.
public protocol RightsRequestReader {
    /// Data-subject requests, oldest first: those under one reference, or all of them.
    func subjectRequests(reference: [UInt8]?) throws -> [SubjectRequest]
    /// The id of the newest completed request that changed what models may hold (0 when none):
    /// a model trained on data read before it must be patched or retrained.
    func latestModelChangingRequest() throws -> Int64
    /// Erasures recorded as under way (`markErasureUnderWay`) and neither completed nor refused, oldest first.
    func interruptedErasures() throws -> [InterruptedErasure]
}

/// Changes to data-subject requests and their progress, inside a `Store.write`; `StoreWriter` composes every concern's writer.
public protocol RightsRequestWriter {
    /// Stores a new request and returns its id.
    func insertSubjectRequest(_ request: SubjectRequest) throws -> Int64
    /// Records that request `id` is erasing `subject`, so that a process which stops before the erasure ends
    /// leaves it to be finished (`interruptedErasures`). The next `updateSubjectRequest` clears it.
    func markErasureUnderWay(id: Int64, subject: Pseudonym) throws
    /// Records a request's progress (and clears the person an erasure under way was holding).
    func updateSubjectRequest(id: Int64, status: SubjectRequest.Status, verifiedAt: Int64?, completedAt: Int64?, detail: String) throws
}
