import Foundation
import TactCore
import TactPrivacy
import Testing

@testable import TactFederated

/// Devices held by one owner (over HTTP: one API key) are one participant: they count once toward a
/// round's minimum, and they never hold a threshold of another owner's device's shares.
@Suite struct SecureAggregationOwnersTests {
    /// Keys for `owners.count` devices (device i + 1 held by owners[i]) with the server; returns it and the clients.
    func joined(_ owners: [String], graph: MaskGraph = .complete, minimum: Int = 3) throws -> (SecureAggregationServer, [UInt32: SecureAggregationClient]) {
        var server = SecureAggregationServer(round: 5, vectorLength: 4, graph: graph, minimumDevices: minimum)
        var clients: [UInt32: SecureAggregationClient] = [:]
        for (i, owner) in owners.enumerated() {
            let id = UInt32(i + 1)
            clients[id] = SecureAggregationClient(id: id, round: 5)
            try server.receive(clients[id]!.advertise(), owner: owner)
        }
        return (server, clients)
    }

    @Test("one key's devices beside one honest device: too few distinct owners, so the zero-input sum is never unmasked")
    func oneOwnerCountsOnceTowardTheMinimum() throws {
        // Four devices of one key would send zeros; the unmasked sum would be the honest device's vector.
        var (server, _) = try joined(["attacker", "attacker", "attacker", "attacker", "honest"])
        #expect(throws: SecureAggregationError.tooFewOwners(have: 2, need: 3)) { try server.neighborhoods() }
        // Four distinct owners, one of them with two devices, are enough (two of a device's four
        // neighbors are below its threshold of three).
        var (enough, _) = try joined(["a", "a", "b", "c", "d"])
        let hoods = try enough.neighborhoods()
        #expect(hoods.count == 5)
    }

    @Test("the devices of one key never hold a threshold of another device's shares")
    func oneOwnerCannotSurroundADevice() throws {
        // Complete graph over 9: each device's threshold is 5 of its 8 neighbors; one key holds 6 of them.
        let owners = ["k", "k", "k", "k", "k", "k", "honest", "b", "c"]
        var (server, _) = try joined(owners)
        #expect(throws: SecureAggregationError.concentrated(device: 7, held: 6, threshold: 5)) { try server.neighborhoods() }
        // A Harary graph is reshuffled until no key holds a threshold of anyone's shares; the check holds on what it returns.
        var r = SplitMix64(seed: 12)
        let many = (0..<60).map { _ in "key\(r.next() % 12)" }
        let plan = try MaskPlan.build(
            owners: Dictionary(uniqueKeysWithValues: many.enumerated().map { (UInt32($0.offset + 1), $0.element) }),
            graph: .harary(degree: 6, seed: 3), minimumOwners: 3)
        for (id, peers) in plan.neighbors {
            var held: [String: Int] = [:]
            for p in peers where many[Int(p) - 1] != many[Int(id) - 1] { held[many[Int(p) - 1], default: 0] += 1 }
            #expect((held.values.max() ?? 0) < plan.thresholds[id]!, "device \(id)")
        }
        // When no shuffle can spread one key thin enough, the round is abandoned.
        let crowded = (1...20).map { $0 <= 18 ? "k" : "other\($0)" }
        #expect(throws: SecureAggregationError.self) {
            try MaskPlan.build(
                owners: Dictionary(uniqueKeysWithValues: crowded.enumerated().map { (UInt32($0.offset + 1), $0.element) }),
                graph: .harary(degree: 6, seed: 3), minimumOwners: 3)
        }
    }

    @Test("survivors from too few distinct owners abandon the round before unmasking")
    func survivorsCountDistinctOwners() throws {
        var (server, clients) = try joined(["a", "a", "b", "c", "d"], graph: .complete)
        let hoods = try server.neighborhoods()
        var random = ChaCha20Generator(seed: 2)
        for id in clients.keys.sorted() {
            let shares = try clients[id]!.shareKeys(hoods[id]!, using: &random);
            try server.receive(shares: shares, from: id, seedCommitment: clients[id]!.seedCommitment)
        }
        // c and d drop before their inputs: three devices of two keys remain.
        for id in [UInt32(1), 2, 3] { try server.receive(try clients[id]!.maskedInput([1, 2, 3, 4], shares: server.deliveries(for: id))) }
        #expect(throws: SecureAggregationError.tooFewOwners(have: 2, need: 3)) { try server.survivors() }
    }

    @Test("a device clips its message to the norm bound before encoding; the norm kernel matches a plain sum")
    func clippingToTheNormBound() {
        let codec = FixedPointCodec(participants: 4, bound: 100)
        var values = (0..<37).map { Float($0 % 7) - 3 }
        values[5] = 90
        let plain = values.reduce(Float(0)) { $0 + $1 * $1 }.squareRoot()
        let kernel = values.withUnsafeBufferPointer { FixedPointCodec.norm($0) }
        #expect(abs(kernel - plain) <= plain * 1e-6)
        let (words, clamped, clipped) = codec.encode(values, normBound: 10)
        #expect(clipped && clamped == 0)
        let decoded = codec.decode(words).map { Float($0) }
        let norm = decoded.withUnsafeBufferPointer { FixedPointCodec.norm($0) }
        #expect(abs(norm - 10) < 1e-3)
        // The direction is kept.
        #expect(abs(decoded[5] / decoded[6] - values[5] / values[6]) < 1e-3)
        // Within the bound nothing changes; a non-finite value counts as 0 and is reported.
        #expect(!codec.encode([3, 4], normBound: 5).clipped)
        #expect(codec.encode([3, .infinity], normBound: 5).clipped)
        var huge: [Float] = [3e30, 4e30]
        huge.withUnsafeMutableBufferPointer { _ = FixedPointCodec.clip($0, norm: 5) }
        #expect(abs(huge[0] - 3) < 1e-4 && abs(huge[1] - 4) < 1e-4)
    }
}
