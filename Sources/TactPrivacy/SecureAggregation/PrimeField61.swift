/// Arithmetic modulo the Mersenne prime p = 2⁶¹ − 1: the field Shamir shares live in. Large enough
/// for any number of participants, small enough that a product fits in 128 bits and reduces with
/// shifts and adds.
public enum PrimeField61 {
    public static let p: UInt64 = (1 << 61) - 1

    @inline(__always) public static func add(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let s = a &+ b
        return s >= p ? s - p : s
    }

    @inline(__always) public static func subtract(_ a: UInt64, _ b: UInt64) -> UInt64 {
        a >= b ? a - b : a &+ p &- b
    }

    /// a · b mod p, for a, b < p: 2⁶⁴ ≡ 2³ (mod p), so the high word folds in shifted by three.
    @inline(__always) public static func multiply(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let (hi, lo) = a.multipliedFullWidth(by: b)
        var r = (lo & p) &+ (lo >> 61) &+ (hi << 3)
        if r >= p { r -= p }
        if r >= p { r -= p }
        return r
    }

    /// a^(p−2): the inverse of a nonzero a (Fermat).
    public static func inverse(_ a: UInt64) -> UInt64 {
        precondition(a % p != 0, "zero has no inverse")
        var result: UInt64 = 1, base = a % p, e = p - 2
        while e > 0 {
            if e & 1 == 1 { result = multiply(result, base) }
            base = multiply(base, base)
            e >>= 1
        }
        return result
    }

    /// A uniformly random field element, by rejection.
    public static func random(using generator: inout some RandomNumberGenerator) -> UInt64 {
        while true {
            let v = generator.next() >> 3
            if v < p { return v }
        }
    }
}
