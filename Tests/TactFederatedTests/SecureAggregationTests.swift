import Foundation
import TactCore
import TactPrivacy
import Testing

@testable import TactFederated

/// Runs one round over `inputs` (id → words), dropping devices at the step named for them.
enum Drop { case beforeKeys, afterKeys, afterShares, afterInput }

func secureSum(
    _ inputs: [UInt32: [UInt32]], length: Int, graph: MaskGraph = .complete, drops: [UInt32: Drop] = [:],
    seed: UInt64 = 7
) throws -> (sum: [UInt32], devices: [UInt32], server: SecureAggregationServer) {
    var server = SecureAggregationServer(round: 42, vectorLength: length, graph: graph)
    var random = ChaCha20Generator(seed: seed)
    var clients = [UInt32: SecureAggregationClient]()
    for id in inputs.keys.sorted() where drops[id] != .beforeKeys {
        clients[id] = SecureAggregationClient(id: id, round: 42)
        try server.receive(clients[id]!.advertise())
    }
    let hoods = try server.neighborhoods()
    for id in clients.keys.sorted() where drops[id] != .afterKeys {
        let shares = try clients[id]!.shareKeys(hoods[id]!, using: &random)
        try server.receive(shares: shares, from: id, seedCommitment: clients[id]!.seedCommitment)
    }
    for id in clients.keys.sorted() where drops[id] != .afterKeys && drops[id] != .afterShares {
        try server.receive(try clients[id]!.maskedInput(inputs[id]!, shares: server.deliveries(for: id)))
    }
    let survivors = try server.survivors()
    let answering = survivors.sorted().filter { drops[$0] != .afterInput }
    for id in answering { try server.receive(try clients[id]!.consistencyCheck(survivors: survivors)) }
    _ = try server.signers()
    for id in answering { try server.receive(try clients[id]!.unmask(signatures: server.signatures(for: id))) }
    let (sum, devices) = try server.aggregate()
    return (sum, devices, server)
}

func plainSum(_ inputs: [UInt32: [UInt32]], of ids: [UInt32], length: Int) -> [UInt32] {
    var sum = [UInt32](repeating: 0, count: length)
    for id in ids { for i in 0..<length { sum[i] &+= inputs[id]![i] } }
    return sum
}

func randomInputs(devices: Int, length: Int, seed: UInt64) -> [UInt32: [UInt32]] {
    var r = SplitMix64(seed: seed)
    return Dictionary(uniqueKeysWithValues: (1...UInt32(devices)).map { id in (id, (0..<length).map { _ in UInt32(truncatingIfNeeded: r.next()) }) })
}

@Suite struct SecureAggregationTests {
    @Test func shamirRecoversFromAnyThresholdSubsetAndNotFromFewer() throws {
        var random = ChaCha20Generator(seed: 1)
        let secret = (0..<32).map { UInt8($0 * 7 + 3) }
        let shares = try ShamirSecretSharing.share(secret, threshold: 4, xs: (1...7).map(UInt64.init), using: &random)
        #expect(try ShamirSecretSharing.recover(Array(shares[0..<4]), threshold: 4, byteCount: 32) == secret)
        #expect(try ShamirSecretSharing.recover([shares[6], shares[2], shares[4], shares[1]], threshold: 4, byteCount: 32) == secret)
        // Three shares interpolate a different polynomial: not the secret.
        #expect(try ShamirSecretSharing.recover(Array(shares[0..<3]), threshold: 3, byteCount: 32) != secret)
        #expect(throws: ShamirSecretSharing.Failure.tooFewShares(have: 3, need: 4)) {
            try ShamirSecretSharing.recover(Array(shares[0..<3]), threshold: 4, byteCount: 32)
        }
        #expect(throws: ShamirSecretSharing.Failure.badX(0)) { try ShamirSecretSharing.share(secret, threshold: 2, xs: [0, 1], using: &random) }
    }

    @Test func fieldArithmeticMatchesWideIntegers() {
        var r = SplitMix64(seed: 3)
        for _ in 0..<1000 {
            let a = r.next() % PrimeField61.p, b = r.next() % PrimeField61.p
            let wide = a.multipliedFullWidth(by: b)
            // (a·b) mod p by long division on 128 bits.
            let rem = PrimeField61.p.dividingFullWidth((high: wide.high, low: wide.low)).remainder
            #expect(PrimeField61.multiply(a, b) == rem)
            if a != 0 { #expect(PrimeField61.multiply(a, PrimeField61.inverse(a)) == 1) }
        }
    }

    @Test func maskStreamIsTheChaCha20Keystream() {
        let seed = (0..<32).map { UInt8($0) }
        var words = [UInt32](repeating: 0, count: 1000)
        MaskStream.apply(seed: seed, to: &words)
        var reference = ChaCha20Generator(key: seed)
        for i in stride(from: 0, to: 1000, by: 2) {
            let w = reference.next()
            #expect(words[i] == UInt32(truncatingIfNeeded: w) && words[i + 1] == UInt32(truncatingIfNeeded: w >> 32))
        }
        MaskStream.apply(seed: seed, to: &words, subtract: true)
        #expect(words.allSatisfy { $0 == 0 })
    }

    @Test func sumIsExactWithoutDropouts() throws {
        let inputs = randomInputs(devices: 8, length: 300, seed: 5)
        let (sum, devices, _) = try secureSum(inputs, length: 300)
        #expect(devices == Array(1...8))
        #expect(sum == plainSum(inputs, of: devices, length: 300))
    }

    @Test(arguments: [Drop.beforeKeys, .afterKeys, .afterShares, .afterInput])
    func sumIsExactWhenAThirdDropAtAnyStep(_ step: Drop) throws {
        let inputs = randomInputs(devices: 12, length: 64, seed: 9)
        let drops: [UInt32: Drop] = [2: step, 5: step, 11: step, 12: step]
        let (sum, devices, _) = try secureSum(inputs, length: 64, drops: drops)
        // Devices that dropped before sending an input are not in the sum; those that dropped after are.
        let expected: [UInt32] = step == .afterInput ? Array(1...12) : (1...12).filter { drops[$0] == nil }
        #expect(devices == expected)
        #expect(sum == plainSum(inputs, of: devices, length: 64))
    }

    @Test func mixedDropoutsAndTheSparseGraph() throws {
        let inputs = randomInputs(devices: 40, length: 50, seed: 11)
        let drops: [UInt32: Drop] = [1: .beforeKeys, 7: .afterKeys, 13: .afterShares, 21: .afterInput, 33: .afterShares]
        let (sum, devices, server) = try secureSum(inputs, length: 50, graph: .harary(degree: 12, seed: 4), drops: drops)
        #expect(devices == (1...40).filter { ![1, 7, 13, 33].contains($0) })
        #expect(sum == plainSum(inputs, of: devices, length: 50))
        #expect(server.graphNeighbors.values.allSatisfy { $0.count == 12 })
    }

    @Test func tooManyDropoutsAbandonTheRoundInsteadOfRevealing() {
        let inputs = randomInputs(devices: 9, length: 10, seed: 2)
        let drops: [UInt32: Drop] = [1: .afterShares, 2: .afterShares, 3: .afterShares, 4: .afterShares, 5: .afterShares]
        #expect(throws: SecureAggregationError.self) { try secureSum(inputs, length: 10, drops: drops) }
    }

    @Test func theServersViewOfOneInputLooksUniform() throws {
        // Small real values, fixed-point encoded: very far from uniform in Z_2^32.
        let codec = FixedPointCodec(participants: 10, bound: 4)
        var r = SplitMix64(seed: 8)
        let length = 4096
        var inputs: [UInt32: [UInt32]] = [:]
        for id in 1...UInt32(10) { inputs[id] = codec.encode((0..<length).map { _ in Float(r.unit()) - 0.5 }).words }
        var server = SecureAggregationServer(round: 1, vectorLength: length)
        var random = ChaCha20Generator(seed: 3)
        var clients = [UInt32: SecureAggregationClient]()
        for id in inputs.keys.sorted() { clients[id] = SecureAggregationClient(id: id, round: 1); try server.receive(clients[id]!.advertise()) }
        let hoods = try server.neighborhoods()
        for id in clients.keys.sorted() {
            let shares = try clients[id]!.shareKeys(hoods[id]!, using: &random);
            try server.receive(shares: shares, from: id, seedCommitment: clients[id]!.seedCommitment)
        }
        var seen: [UInt32] = []
        for id in clients.keys.sorted() {
            let masked = try clients[id]!.maskedInput(inputs[id]!, shares: server.deliveries(for: id))
            if id == 3 { seen = masked.words }
            try server.receive(masked)
        }
        // χ² of the top byte over 256 bins (255 degrees of freedom; 0.1% critical value ≈ 330).
        func chiSquare(_ words: [UInt32]) -> Double {
            var bins = [Double](repeating: 0, count: 256)
            for w in words { bins[Int(w >> 24)] += 1 }
            let expected = Double(words.count) / 256
            return bins.reduce(0) { $0 + ($1 - expected) * ($1 - expected) / expected }
        }
        #expect(chiSquare(inputs[3]!) > 10_000)  // the raw input is plainly not uniform
        #expect(chiSquare(seen) < 330)  // what the server holds is
        #expect(seen != inputs[3]!)
    }

    @Test func fixedPointSumsDecodeWithinTheirBound() {
        let codec = FixedPointCodec(participants: 100, bound: 8)
        var r = SplitMix64(seed: 6)
        var total = [Double](repeating: 0, count: 20), wrapped = [UInt32](repeating: 0, count: 20)
        for _ in 0..<100 {
            let v = (0..<20).map { _ in Float(r.unit() * 16 - 8) }
            for i in 0..<20 { total[i] += Double(v[i]) }
            let (words, clamped) = codec.encode(v)
            #expect(clamped == 0)
            for i in 0..<20 { wrapped[i] &+= words[i] }
        }
        let decoded = codec.decode(wrapped)
        for i in 0..<20 { #expect(abs(decoded[i] - total[i]) <= codec.sumError(participants: 100) + 1e-3) }
        #expect(codec.encode([100, -100, .nan]).clamped == 3)
    }
}
