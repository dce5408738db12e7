import Dispatch
import Foundation
import TactPrivacy

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One secure-aggregation round run in process, every device a real `SecureAggregationClient` and the
/// server a real `SecureAggregationServer`, with the messages they would exchange: what the simulator
/// and the benchmarks measure. Devices work in parallel; each one's CPU time is measured on its own
/// thread, and bytes are counted as the binary sizes of the messages on the wire.
public struct SecureAggregationRun {
    public struct Cost: Sendable, Codable, Equatable {
        /// Mean bytes sent and received by a device that takes part in all five steps (the model
        /// broadcast not included).
        public var bytesUp: Double
        public var bytesDown: Double
        /// CPU seconds of such a device: median and largest.
        public var deviceSecondsMedian: Double
        public var deviceSecondsMax: Double
        /// CPU seconds of the server (routing, checks, unmasking, decoding).
        public var serverSeconds: Double
    }

    public struct Outcome: Sendable {
        /// The decoded sum of the inputs that arrived.
        public var sum: [Double]
        /// The devices (1-based positions in `messages`) whose inputs are in it.
        public var devices: [UInt32]
        /// The largest difference between `sum` and the plain floating-point sum of the same (clamped)
        /// inputs: fixed-point rounding only.
        public var largestError: Double
        /// Values clamped to the codec's bound, over all inputs.
        public var clamped: Int
        public var cost: Cost
    }

    /// Runs a round over `messages` (device i + 1 sends messages[i]), encoded with `codec`;
    /// `dropouts[i]` says where device i + 1 leaves, nil if it stays.
    public static func run(
        _ messages: [[Float]], codec: FixedPointCodec, graph: MaskGraph, round: UInt64,
        dropouts: [DropoutStep?], threads: Int = ProcessInfo.processInfo.activeProcessorCount
    ) throws -> Outcome {
        let n = messages.count, length = messages.first?.count ?? 0
        var clampedPerDevice = [Int](repeating: 0, count: n)
        let (wrapped, devices, cost) = try clampedPerDevice.withUnsafeMutableBufferPointer { clampedBuffer in
            let slots = UncheckedSendable(clampedBuffer)
            return try runWords(devices: n, length: length, graph: graph, round: round, dropouts: dropouts, threads: threads) { d in
                let (words, clamped) = codec.encode(messages[d])
                slots.value[d] = clamped
                return words
            }
        }
        let sum = codec.decode(wrapped)
        // The plain sum of the same clamped inputs, to show the masks cancel exactly.
        var plain = [Double](repeating: 0, count: length)
        for id in devices {
            for (i, v) in messages[Int(id) - 1].enumerated() { plain[i] += Double(min(max(v, -codec.bound), codec.bound)) }
        }
        let largestError = zip(sum, plain).reduce(0) { max($0, abs($1.0 - $1.1)) }
        return Outcome(sum: sum, devices: devices, largestError: largestError, clamped: clampedPerDevice.reduce(0, +), cost: cost)
    }

    /// A round over inputs already in Z_2^32: `input(d)` makes device d + 1's words (on its own
    /// thread, its time counted as the device's). Returns the wrapped sum, who is in it, and the cost.
    public static func runWords(
        devices n: Int, length: Int, graph: MaskGraph, round: UInt64, dropouts: [DropoutStep?],
        threads: Int = ProcessInfo.processInfo.activeProcessorCount,
        input: (Int) -> [UInt32]
    ) throws -> (sum: [UInt32], devices: [UInt32], cost: Cost) {
        precondition(dropouts.count == n, "one dropout entry per device")
        var server = SecureAggregationServer(round: round, vectorLength: length, graph: graph)
        var clients = (0..<n).map { SecureAggregationClient(id: UInt32($0 + 1), round: round) }
        var cpu = [Double](repeating: 0, count: n)
        var up = [Double](repeating: 0, count: n), down = [Double](repeating: 0, count: n)
        var serverSeconds: Double = 0
        func serverWork<T>(_ body: () throws -> T) rethrows -> T {
            let start = threadCPUSeconds()
            defer { serverSeconds += threadCPUSeconds() - start }
            return try body()
        }

        // Step 0: keys.
        let present = (0..<n).filter { dropouts[$0] != .beforeKeys }
        let adverts = parallelMap(present, threads: threads, cpu: &cpu) { clients[$0].advertise() }
        // Keys: id, two X25519 keys, an Ed25519 key and its signature (164 bytes).
        for (k, d) in present.enumerated() { up[d] += 164; try serverWork { try server.receive(adverts[k]) } }
        let hoods = try serverWork { try server.neighborhoods() }
        for d in present { down[d] += 4 + 164 * Double(hoods[UInt32(d + 1)]!.neighbors.count) }

        // Step 1: shares.
        let sharing = present.filter { dropouts[$0] != .afterKeys }
        let shares = try clients.withUnsafeMutableBufferPointer { buffer in
            try parallelMapThrowing(sharing, threads: threads, cpu: &cpu) { d in
                var random = SecureRandom()
                return try buffer[d].shareKeys(hoods[UInt32(d + 1)]!, using: &random)
            }
        }
        for (k, d) in sharing.enumerated() {
            up[d] += 32 + shares[k].reduce(0) { $0 + 8 + Double($1.ciphertext.count) }
            try serverWork { try server.receive(shares: shares[k], from: UInt32(d + 1), seedCommitment: clients[d].seedCommitment) }
        }

        // Step 2: masked inputs.
        let sending = sharing.filter { dropouts[$0] != .afterShares }
        let delivered = serverWork { sending.map { server.deliveries(for: UInt32($0 + 1)) } }
        let masked = try clients.withUnsafeMutableBufferPointer { buffer in
            try parallelMapThrowing(Array(sending.indices), threads: threads, cpu: &cpu, device: { sending[$0] }) { k in
                let d = sending[k]
                return try buffer[d].maskedInput(input(d), shares: delivered[k])
            }
        }
        for (k, d) in sending.enumerated() {
            down[d] += delivered[k].reduce(0) { $0 + 8 + Double($1.ciphertext.count) }
            up[d] += 4 + 4 * Double(length)
            try serverWork { try server.receive(masked[k]) }
        }

        // Step 3: consistency. Survivors sign the announced set; each gets its neighbors' signatures.
        let survivors = try serverWork { try server.survivors() }
        let answering = sending.filter { dropouts[$0] != .afterInput }
        let signed = try clients.withUnsafeMutableBufferPointer { buffer in
            try parallelMapThrowing(answering, threads: threads, cpu: &cpu) { d in try buffer[d].consistencyCheck(survivors: survivors) }
        }
        for (k, d) in answering.enumerated() {
            down[d] += 4 * Double(survivors.count)
            up[d] += 68
            try serverWork { try server.receive(signed[k]) }
        }
        _ = try serverWork { try server.signers() }
        // Step 4: unmasking.
        let forwarded = serverWork { answering.map { server.signatures(for: UInt32($0 + 1)) } }
        let responses = try clients.withUnsafeMutableBufferPointer { buffer in
            try parallelMapThrowing(Array(answering.indices), threads: threads, cpu: &cpu, device: { answering[$0] }) { k in
                try buffer[answering[k]].unmask(signatures: forwarded[k])
            }
        }
        for (k, d) in answering.enumerated() {
            down[d] += 68 * Double(forwarded[k].count)
            up[d] += 4 + Double(responses[k].seedShares.count + responses[k].keyShares.count) * 56
            try serverWork { try server.receive(responses[k]) }
        }
        let (wrapped, devices) = try serverWork { try server.aggregate() }

        // Costs of a device that takes part to the end (one that drops early costs less).
        let stayed = answering.isEmpty ? present : answering
        let joined = stayed.map { cpu[$0] }.sorted()
        let cost = Cost(
            bytesUp: stayed.reduce(0) { $0 + up[$1] } / Double(max(stayed.count, 1)),
            bytesDown: stayed.reduce(0) { $0 + down[$1] } / Double(max(stayed.count, 1)),
            deviceSecondsMedian: joined.isEmpty ? 0 : joined[joined.count / 2], deviceSecondsMax: joined.last ?? 0,
            serverSeconds: serverSeconds)
        return (wrapped, devices, cost)
    }

    /// CPU seconds used so far by the calling thread.
    public static func threadCPUSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    static func parallelMap<T>(_ devices: [Int], threads: Int, cpu: inout [Double], _ body: (Int) -> T) -> [T] {
        // Infallible steps go through the throwing path with a body that never throws.
        try! parallelMapThrowing(devices, threads: threads, cpu: &cpu, body)
    }

    /// body(x) for every x of `items`, in parallel, results in order; the CPU time of each call is added
    /// to cpu[device(x)].
    static func parallelMapThrowing<T>(
        _ items: [Int], threads: Int, cpu: inout [Double], device: (Int) -> Int = { $0 },
        _ body: (Int) throws -> T
    ) throws -> [T] {
        var results = [T?](repeating: nil, count: items.count)
        var errors = [Error?](repeating: nil, count: items.count)
        var seconds = [Double](repeating: 0, count: items.count)
        let workers = max(1, min(threads, items.count))
        results.withUnsafeMutableBufferPointer { r in
            errors.withUnsafeMutableBufferPointer { e in
                seconds.withUnsafeMutableBufferPointer { s in
                    let slots = (r: UncheckedSendable(r), e: UncheckedSendable(e), s: UncheckedSendable(s))
                    withoutActuallyEscaping(body) { body in
                        let work = UncheckedSendable(body)
                        DispatchQueue.concurrentPerform(iterations: workers) { w in
                            for k in stride(from: w, to: items.count, by: workers) {
                                let start = threadCPUSeconds()
                                do { slots.r.value[k] = try work.value(items[k]) } catch { slots.e.value[k] = error }
                                slots.s.value[k] = threadCPUSeconds() - start
                            }
                        }
                    }
                }
            }
        }
        for (k, x) in items.enumerated() { cpu[device(x)] += seconds[k] }
        if let error = errors.compactMap({ $0 }).first { throw error }
        return results.map { $0! }
    }
}

/// A value handed to worker threads that each touch their own part of it.
struct UncheckedSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
