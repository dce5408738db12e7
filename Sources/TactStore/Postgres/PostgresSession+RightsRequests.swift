import Crypto
import Foundation
import PostgresNIO
import TactCore

/// PostgresSession's part of `RightsRequestReader` and `RightsRequestWriter`: data-subject requests and their progress.
extension PostgresSession {
    func subjectRequests(reference: [UInt8]?) throws -> [SubjectRequest] {
        let columns = "id, kind, reference, actor, received_at, verified_at, completed_at, due_at, status, detail"
        let found =
            try reference.map { try rows("SELECT \(columns) FROM subject_requests WHERE reference = $1 ORDER BY id", [.bytes($0)]) }
            ?? rows("SELECT \(columns) FROM subject_requests ORDER BY id")
        return try found.map { row in
            let id = try row.int(0)
            guard let kind = SubjectRequest.Kind(rawValue: try row.text(1)), let status = SubjectRequest.Status(rawValue: try row.text(8)) else {
                throw StoreError.corrupt(what: "subject request \(id)")
            }
            return SubjectRequest(
                id: id, kind: kind, reference: try row.bytes(2), actor: try row.text(3), receivedAt: try row.int(4),
                verifiedAt: try row.optionalInt(5), completedAt: try row.optionalInt(6), dueAt: try row.int(7),
                status: status, detail: try row.text(9))
        }
    }

    func latestModelChangingRequest() throws -> Int64 {
        let kinds = SubjectRequest.Kind.allCases.filter(\.changesModels).map { "'\($0.rawValue)'" }.joined(separator: ", ")
        return try int("SELECT MAX(id) FROM subject_requests WHERE status = 'completed' AND kind IN (\(kinds))") ?? 0
    }

    func interruptedErasures() throws -> [InterruptedErasure] {
        try rows("SELECT id, pending_subject, actor, received_at FROM subject_requests WHERE pending_subject IS NOT NULL ORDER BY id").map { row in
            let id = try row.int(0), bytes = try row.bytes(1)
            guard bytes.count == Pseudonym.byteCount else { throw StoreError.corrupt(what: "subject request \(id)") }
            return InterruptedErasure(id: id, subject: Pseudonym(bytes: bytes), actor: try row.text(2), receivedAt: try row.int(3))
        }
    }

    func markErasureUnderWay(id: Int64, subject: Pseudonym) throws {
        try execute("UPDATE subject_requests SET pending_subject = $1 WHERE id = $2", [.bytes(subject.bytes), .int(id)])
    }

    func insertSubjectRequest(_ r: SubjectRequest) throws -> Int64 {
        guard
            let row = try rows(
                """
                INSERT INTO subject_requests (kind, reference, actor, received_at, verified_at, completed_at, due_at, status, detail)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id
                """,
                [
                    .text(r.kind.rawValue), .bytes(r.reference), .text(r.actor), .int(r.receivedAt), .int(r.verifiedAt), .int(r.completedAt),
                    .int(r.dueAt), .text(r.status.rawValue), .text(r.detail)
                ]
            ).first
        else {
            throw StoreError.corrupt(what: "a subject request vanished after insert")
        }
        return try row.int(0)
    }

    func updateSubjectRequest(id: Int64, status: SubjectRequest.Status, verifiedAt: Int64?, completedAt: Int64?, detail: String) throws {
        try execute(
            """
            UPDATE subject_requests SET status = $1, verified_at = COALESCE($2, verified_at), completed_at = COALESCE($3, completed_at), detail = $4,
                pending_subject = NULL
            WHERE id = $5
            """, [.text(status.rawValue), .int(verifiedAt), .int(completedAt), .text(detail), .int(id)])
    }
}
