/// A set of 64-bit word hashes with open addressing: the keys are already well-mixed hashes, so a
/// lookup is a mask and a probe or two, without `Hasher`. Zero is never a key (FNV-1a of any word is
/// nonzero in practice; a zero hash is simply not stored).
struct HashSet64: Sendable {
    private var slots: [UInt64]
    private let mask: Int

    init(_ keys: some Collection<UInt64>) {
        var capacity = 16
        while capacity < keys.count * 2 { capacity <<= 1 }
        mask = capacity - 1
        slots = [UInt64](repeating: 0, count: capacity)
        for key in keys where key != 0 {
            var i = Int(truncatingIfNeeded: key ^ (key >> 29)) & mask
            while slots[i] != 0 && slots[i] != key { i = (i + 1) & mask }
            slots[i] = key
        }
    }

    @inline(__always) func contains(_ key: UInt64) -> Bool {
        var i = Int(truncatingIfNeeded: key ^ (key >> 29)) & mask
        while true {
            let s = slots[i]
            if s == key { return key != 0 }
            if s == 0 { return false }
            i = (i + 1) & mask
        }
    }
}
