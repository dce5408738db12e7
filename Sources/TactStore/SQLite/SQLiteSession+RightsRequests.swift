import Crypto
import Foundation
import GRDB
import GRDBSQLite
import TactCore

/// SQLiteSession's part of `RightsRequestReader` and `RightsRequestWriter`: data-subject requests and their progress.
extension SQLiteSession {
    func subjectRequests(reference: [UInt8]?) throws -> [SubjectRequest] {
        let columns = "id, kind, reference, actor, received_at, verified_at, completed_at, due_at, status, detail"
        let rows: [Row]
        if let reference {
            rows = try Row.fetchAll(db, sql: "SELECT \(columns) FROM subject_requests WHERE reference = ? ORDER BY id", arguments: [Data(reference)])
        } else {
            rows = try Row.fetchAll(db, sql: "SELECT \(columns) FROM subject_requests ORDER BY id")
        }
        return try rows.map { row in
            let kindName: String = row[1], statusName: String = row[8]
            guard let kind = SubjectRequest.Kind(rawValue: kindName), let status = SubjectRequest.Status(rawValue: statusName) else {
                throw StoreError.corrupt(what: "subject request \(row[0] as Int64)")
            }
            let reference: Data = row[2]
            return SubjectRequest(
                id: row[0], kind: kind, reference: [UInt8](reference), actor: row[3], receivedAt: row[4], verifiedAt: row[5],
                completedAt: row[6], dueAt: row[7], status: status, detail: row[9])
        }
    }

    func latestModelChangingRequest() throws -> Int64 {
        let kinds = SubjectRequest.Kind.allCases.filter(\.changesModels).map { "'\($0.rawValue)'" }.joined(separator: ", ")
        return try Int64.fetchOne(db.cachedStatement(sql: "SELECT MAX(id) FROM subject_requests WHERE status = 'completed' AND kind IN (\(kinds))")) ?? 0
    }

    func interruptedErasures() throws -> [InterruptedErasure] {
        try Row.fetchAll(db, sql: "SELECT id, pending_subject, actor, received_at FROM subject_requests WHERE pending_subject IS NOT NULL ORDER BY id")
            .map { row in
                let bytes: Data = row[1]
                guard bytes.count == Pseudonym.byteCount else { throw StoreError.corrupt(what: "subject request \(row[0] as Int64)") }
                return InterruptedErasure(id: row[0], subject: Pseudonym(bytes: [UInt8](bytes)), actor: row[2], receivedAt: row[3])
            }
    }

    func markErasureUnderWay(id: Int64, subject: Pseudonym) throws {
        try db.execute(sql: "UPDATE subject_requests SET pending_subject = ? WHERE id = ?", arguments: [Data(subject.bytes), id])
    }

    func insertSubjectRequest(_ r: SubjectRequest) throws -> Int64 {
        try db.execute(
            sql: """
                INSERT INTO subject_requests (kind, reference, actor, received_at, verified_at, completed_at, due_at, status, detail)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [r.kind.rawValue, Data(r.reference), r.actor, r.receivedAt, r.verifiedAt, r.completedAt, r.dueAt, r.status.rawValue, r.detail])
        return db.lastInsertedRowID
    }

    func updateSubjectRequest(id: Int64, status: SubjectRequest.Status, verifiedAt: Int64?, completedAt: Int64?, detail: String) throws {
        try db.execute(
            sql: """
                UPDATE subject_requests SET status = ?, verified_at = COALESCE(?, verified_at), completed_at = COALESCE(?, completed_at), detail = ?,
                    pending_subject = NULL
                WHERE id = ?
                """, arguments: [status.rawValue, verifiedAt, completedAt, detail, id])
    }
}
