import Foundation
import TactCore

/// A fast pseudo-random generator whose sequence depends only on its seed.
///
/// xoshiro256** (Blackman and Vigna), with its 256-bit state filled from the seed by SplitMix64.
/// Integers and uniform doubles are the same on every platform; normal values go through the
/// C library's `log`, `sin` and `cos`, which may differ in the last bit between platforms.
/// Not for secrets: use `SystemRandomNumberGenerator` for keys and salts.
struct SeededRandom: RandomNumberGenerator, Sendable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64
    /// The second value of the last Box–Muller pair, returned by the next `nextNormal()`.
    private var spareNormal: Double?

    /// A generator for `seed`; any value, zero included, is a valid seed.
    init(seed: UInt64) {
        var mixer = SplitMix64(state: seed)
        s0 = mixer.next()
        s1 = mixer.next()
        s2 = mixer.next()
        s3 = mixer.next()
        // SplitMix64 never yields four zeros in a row, but xoshiro must never start all-zero.
        if s0 | s1 | s2 | s3 == 0 { s0 = 0x9E37_79B9_7F4A_7C15 }
    }

    /// A generator for a sub-stream: the same seed and stream always give the same sequence,
    /// and different streams are independent for practical purposes.
    init(seed: UInt64, stream: UInt64) {
        var mixer = SplitMix64(state: stream)
        self.init(seed: seed ^ mixer.next())
    }

    /// The next 64 random bits.
    mutating func next() -> UInt64 {
        let result = Self.rotateLeft(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = Self.rotateLeft(s3, 45)
        return result
    }

    /// A uniform Double in [0, 1), from the top 53 bits.
    mutating func nextDouble() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform Double in (0, 1]: never zero, so safe under `log`.
    mutating func nextPositiveDouble() -> Double {
        Double((next() >> 11) + 1) * 0x1.0p-53
    }

    /// A uniform integer in 0..<bound (bound > 0), without modulo bias (Lemire's method).
    mutating func nextInt(below bound: Int) -> Int {
        precondition(bound > 0, "nextInt(below:) needs a positive bound")
        let n = UInt64(bound)
        var product = next().multipliedFullWidth(by: n)
        if product.low < n {
            let threshold = (0 &- n) % n
            while product.low < threshold {
                product = next().multipliedFullWidth(by: n)
            }
        }
        return Int(product.high)
    }

    /// True with the given probability.
    mutating func nextBool(probability: Double) -> Bool {
        nextDouble() < probability
    }

    /// A standard normal value (mean 0, standard deviation 1), by the Box–Muller transform.
    mutating func nextNormal() -> Double {
        if let spare = spareNormal {
            spareNormal = nil
            return spare
        }
        let radius = (-2 * log(nextPositiveDouble())).squareRoot()
        let angle = 2 * Double.pi * nextDouble()
        spareNormal = radius * sin(angle)
        return radius * cos(angle)
    }

    /// Shuffles `array` in place (Fisher–Yates) with this generator's own integers,
    /// so the order does not depend on the standard library's shuffle algorithm.
    mutating func shuffle<T>(_ array: inout [T]) {
        var i = array.count - 1
        while i > 0 {
            let j = nextInt(below: i + 1)
            array.swapAt(i, j)
            i -= 1
        }
    }

    @inline(__always)
    private static func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 - k))
    }
}
