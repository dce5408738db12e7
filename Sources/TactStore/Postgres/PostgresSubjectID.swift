import TactCore

/// A person's row number in PostgreSQL: the first 63 bits of their pseudonym.
///
/// Pseudonyms are keyed hashes, so these numbers are uniform: hash-partitioning and distributed
/// databases (Citus) spread people evenly by them, and a person's row is found from their pseudonym
/// without a lookup across shards. Two pseudonyms sharing 63 bits (about one chance in 10¹¹ among
/// ten million people) is detected when the second is inserted, and refused.
enum PostgresSubjectID {
    static func of(_ pseudonym: Pseudonym) -> Int64 {
        var value: UInt64 = 0
        for byte in pseudonym.bytes.prefix(8) { value = value << 8 | UInt64(byte) }
        return Int64(bitPattern: value & 0x7FFF_FFFF_FFFF_FFFF)
    }
}
