import Foundation

/// The persons one principal has read, in bounded memory: a scalable Bloom filter (Almeida et al.
/// 2007). It answers "read before?" with no false negatives and, by default, about 0.1% false
/// positives per stage (`Precision.standard`: 14.4 bits and 10 hashes a person; `.fine`, for the 24
/// hourly filters of `PrincipalHistory`, 24 bits, about 0.002%), so about 1% over the ten stages of
/// a full filter; and it counts the distinct persons it has met. It starts at 4,096 bits (512
/// bytes, made by the first insert) and adds a stage twice as large each time the newest one holds
/// its capacity, up to `maximumBits` (1 MiB by default, about 580,000 persons at the standard
/// precision); past that the newest stage fills further, so more new persons pass for known ones
/// (the filter under-counts, it never forgets).
///
/// Persons are hashed with a fixed function (FNV-1a, then two SplitMix finalizers), so filters are
/// the same in every process: one can be stored, reloaded and merged with another server's (a
/// bitwise OR per stage, see `formUnion`).
public struct PersonFilter: Sendable, Equatable {
    struct Stage: Sendable, Equatable {
        var words: [UInt64]
        /// Persons inserted into this stage.
        var count: Int
        var bits: Int { words.count * 64 }
    }

    /// Tenths of a bit per person at which a stage is full, and hashes per person.
    public enum Precision: Int, Sendable {
        case standard = 1, fine = 2
        var tenthsOfBits: Int { self == .standard ? 144 : 240 }
        var hashes: Int { 10 }
    }

    static let firstStageBits = 4096
    public let maximumBits: Int
    public let precision: Precision
    var hashes: Int { precision.hashes }
    private(set) var stages: [Stage]
    /// Distinct persons met (those `insert` found new).
    public private(set) var count: Int = 0

    public init(maximumBits: Int = 1 << 23, precision: Precision = .standard) {
        self.maximumBits = max(maximumBits, Self.firstStageBits)
        self.precision = precision
        // The first stage is made by the first insert: an empty filter takes no bits.
        stages = []
    }

    /// Bytes of memory the bits take.
    public var byteCount: Int { stages.reduce(0) { $0 + $1.words.count * 8 } }

    func capacity(_ stage: Stage) -> Int { stage.bits * 10 / precision.tenthsOfBits }

    static func hash(_ person: String) -> (UInt64, UInt64) {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in person.utf8 {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01B3
        }
        func mix(_ x: UInt64) -> UInt64 {
            var z = x &+ 0x9E37_79B9_7F4A_7C15
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        return (mix(h), mix(h ^ 0x5851_F42D_4C95_7F2D) | 1)
    }

    static func contains(_ stage: Stage, _ h: (UInt64, UInt64), hashes: Int) -> Bool {
        let mask = UInt64(stage.bits - 1)
        for i in 0..<UInt64(hashes) {
            let bit = Int((h.0 &+ i &* h.1) & mask)
            if stage.words[bit >> 6] & (1 << UInt64(bit & 63)) == 0 { return false }
        }
        return true
    }

    public func contains(_ person: String) -> Bool { contains(hash: Self.hash(person)) }

    func contains(hash h: (UInt64, UInt64)) -> Bool {
        let k = hashes
        return stages.contains { Self.contains($0, h, hashes: k) }
    }

    /// Records a person; returns whether it was new (not met before, up to the false-positive rate).
    @discardableResult
    public mutating func insert(_ person: String) -> Bool { insert(hash: Self.hash(person)) }

    mutating func insert(hash h: (UInt64, UInt64)) -> Bool {
        if contains(hash: h) { return false }
        let total = byteCount * 8
        if stages.isEmpty {
            stages.append(Stage(words: [UInt64](repeating: 0, count: Self.firstStageBits / 64), count: 0))
        } else if stages[stages.count - 1].count >= capacity(stages[stages.count - 1]), total + stages[stages.count - 1].bits * 2 <= maximumBits {
            stages.append(Stage(words: [UInt64](repeating: 0, count: stages[stages.count - 1].words.count * 2), count: 0))
        }
        let last = stages.count - 1
        let mask = UInt64(stages[last].bits - 1)
        for i in 0..<UInt64(hashes) {
            let bit = Int((h.0 &+ i &* h.1) & mask)
            stages[last].words[bit >> 6] |= 1 << UInt64(bit & 63)
        }
        stages[last].count += 1
        count += 1
        return true
    }

    /// Takes in what another filter of the same principal met (another server's): stage by stage, a
    /// bitwise OR. The count becomes an estimate from the bits (Swamidass and Baldi 2007), never
    /// below either count.
    public mutating func formUnion(_ other: PersonFilter) {
        guard other.precision == precision else { return }
        for (i, stage) in other.stages.enumerated() {
            if i < stages.count {
                if stages[i].words.count == stage.words.count {
                    for w in stage.words.indices { stages[i].words[w] |= stage.words[w] }
                    stages[i].count = max(stages[i].count, stage.count, Self.estimate(stages[i], hashes: hashes))
                }
            } else {
                stages.append(stage)
            }
        }
        count = max(count, other.count, stages.reduce(0) { $0 + $1.count })
    }

    static func estimate(_ stage: Stage, hashes: Int) -> Int {
        let set = stage.words.reduce(0) { $0 + $1.nonzeroBitCount }
        let m = Double(stage.bits), x = Double(min(set, stage.bits - 1))
        return Int((-(m / Double(hashes)) * log(1 - x / m)).rounded())
    }

    // MARK: bytes

    /// The filter as bytes (little-endian): precision, count, maximum bits, stages (words, count, the words).
    public func encoded() -> [UInt8] {
        var out = ByteWriter()
        out.int(precision.rawValue)
        out.int(count)
        out.int(maximumBits)
        out.int(stages.count)
        for stage in stages {
            out.int(stage.words.count)
            out.int(stage.count)
            for w in stage.words { out.u64(w) }
        }
        return out.bytes
    }

    public init(decoding bytes: [UInt8]) throws {
        var r = ByteReader(bytes)
        try self.init(reading: &r)
    }

    init(reading r: inout ByteReader) throws {
        guard let precision = Precision(rawValue: try r.int()) else { throw GuardStateError.malformed("person filter precision") }
        let count = try r.int(), maximumBits = try r.int(), n = try r.int()
        guard maximumBits >= Self.firstStageBits, maximumBits <= 1 << 30, (0...32).contains(n) else { throw GuardStateError.malformed("person filter header") }
        var stages: [Stage] = []
        for _ in 0..<n {
            let words = try r.int(), inserted = try r.int()
            guard words > 0, words.nonzeroBitCount == 1, words * 64 <= maximumBits * 2, inserted >= 0 else {
                throw GuardStateError.malformed("person filter stage")
            }
            var ws = [UInt64](repeating: 0, count: words)
            for i in 0..<words { ws[i] = try r.u64() }
            stages.append(Stage(words: ws, count: inserted))
        }
        self.maximumBits = maximumBits
        self.precision = precision
        self.stages = stages
        self.count = count
    }
}

/// A Guard state that could not be read back (stored by another version, or damaged).
public enum GuardStateError: Error, CustomStringConvertible {
    case malformed(String)
    public var description: String {
        switch self {
        case .malformed(let what): return "the Guard's stored state is damaged or from an unknown version (\(what)); it is ignored and learned again"
        }
    }
}

struct ByteWriter {
    var bytes: [UInt8] = []
    mutating func u64(_ v: UInt64) { for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(i)))) } }
    mutating func int(_ v: Int) { u64(UInt64(bitPattern: Int64(v))) }
    mutating func double(_ v: Double) { u64(v.bitPattern) }
    mutating func string(_ s: String) {
        int(s.utf8.count)
        bytes.append(contentsOf: s.utf8)
    }
}

struct ByteReader {
    let bytes: [UInt8]
    var at = 0
    init(_ bytes: [UInt8]) { self.bytes = bytes }
    mutating func u64() throws -> UInt64 {
        guard at + 8 <= bytes.count else { throw GuardStateError.malformed("ends early") }
        var v: UInt64 = 0
        for i in 0..<8 { v |= UInt64(bytes[at + i]) << (8 * UInt64(i)) }
        at += 8
        return v
    }
    mutating func int() throws -> Int { Int(Int64(bitPattern: try u64())) }
    mutating func double() throws -> Double { Double(bitPattern: try u64()) }
    mutating func string() throws -> String {
        let n = try int()
        guard n >= 0, n <= 4096, at + n <= bytes.count else { throw GuardStateError.malformed("string") }
        defer { at += n }
        return String(decoding: bytes[at..<at + n], as: UTF8.self)
    }
}
