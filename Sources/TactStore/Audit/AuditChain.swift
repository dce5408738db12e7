import Crypto

/// The hash chain over the audit log: an entry's hash is SHA-256 of the previous entry's hash followed by
/// an unambiguous encoding of the entry's stored values, so changing, removing or reordering any entry
/// changes every hash after it.
///
/// Encoding (version 1): the ASCII tag `tact-audit-chain/v1`, the previous hash (32 bytes; zeros for the
/// first entry), id and at as big-endian 64-bit integers, then actor, action, subject, purpose and detail,
/// each as one byte (0 absent, 1 present) followed, when present, by its length as a big-endian 64-bit
/// integer and its bytes (text as UTF-8).
public enum AuditChain {
    public static let hashByteCount = 32
    /// The previous hash of the first entry.
    public static let genesis = [UInt8](repeating: 0, count: hashByteCount)
    private static let tag = Array("tact-audit-chain/v1".utf8)

    /// The chain hash of `row` after an entry whose hash is `previous`; the row's own stored hash is ignored.
    public static func hash(of row: AuditRow, previous: [UInt8]) -> [UInt8] {
        precondition(previous.count == hashByteCount, "a chain hash has \(hashByteCount) bytes")
        var bytes: [UInt8] = []
        bytes.reserveCapacity(
            tag.count + hashByteCount + 16 + 5 * 9 + row.actor.utf8.count + row.action.utf8.count
                + (row.subject?.count ?? 0) + (row.purpose?.utf8.count ?? 0) + row.detail.utf8.count)
        bytes.append(contentsOf: tag)
        bytes.append(contentsOf: previous)
        appendInteger(row.id, to: &bytes)
        appendInteger(row.at, to: &bytes)
        appendField(row.actor.utf8, to: &bytes)
        appendField(row.action.utf8, to: &bytes)
        appendField(row.subject, to: &bytes)
        appendField(row.purpose?.utf8, to: &bytes)
        appendField(row.detail.utf8, to: &bytes)
        return Array(SHA256.hash(data: bytes))
    }

    /// The stored row that appends `entry` to the chain, hash included: it follows `tail` (the newest
    /// entry's id and hash, when the caller already knows them), else the newest entry `last()` reads,
    /// else the genesis. `subject` is the entry's subject as stored (the audit handle).
    static func nextRow(_ entry: AuditEntry, subject: [UInt8]?, tail: (id: Int64, hash: [UInt8])?, last: () throws -> AuditRow?) throws -> AuditRow {
        let previous: (id: Int64, hash: [UInt8])
        if let tail {
            previous = tail
        } else if let newest = try last() {
            guard let hash = newest.hash, hash.count == hashByteCount else {
                throw StoreError.corrupt(what: "the chain hash of audit entry \(newest.id); run 'tact audit verify'")
            }
            previous = (newest.id, hash)
        } else {
            previous = (0, genesis)
        }
        var row = AuditRow(
            id: previous.id + 1, at: entry.at, actor: entry.actor, action: entry.action, subject: subject,
            purpose: entry.purpose?.rawValue, detail: entry.detail, hash: nil)
        row.hash = hash(of: row, previous: previous.hash)
        return row
    }

    private static func appendInteger(_ value: Int64, to bytes: inout [UInt8]) {
        let v = UInt64(bitPattern: value)
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: v >> UInt64(shift))) }
    }

    private static func appendField<C: Collection<UInt8>>(_ field: C?, to bytes: inout [UInt8]) {
        guard let field else {
            bytes.append(0)
            return
        }
        bytes.append(1)
        appendInteger(Int64(field.count), to: &bytes)
        bytes.append(contentsOf: field)
    }
}
