import Crypto
import Foundation
import TactCore
import TactPrivacy
import Testing

@testable import TactFederated

/// What the secure-aggregation server refuses, message by message: a second set of shares, a second
/// input, a second unmasking answer, both kinds of share for one device in one answer, shares the sender
/// does not hold, messages of the wrong length, shares that do not follow the announced survivor set.
/// Each refusal is the specific error, and leaves the round as it was: the honest message is still taken
/// afterwards and the sum is exactly the plain sum of the inputs.
@Suite struct SecureAggregationServerRefusalTests {
    typealias Round = MaliciousServerTests.Round
    static let length = 8

    /// Completes the round from where the test left it and checks its sum against the plain sum.
    static func finish(_ round: inout Round, inputs: [UInt32: [UInt32]]) throws {
        let answers = try round.signAndAnswer()
        for id in answers.keys.sorted() { try round.server.receive(answers[id]!) }
        let (sum, devices) = try round.server.aggregate()
        #expect(sum == plainSum(inputs, of: devices, length: length))
        #expect(round.server.misbehaving.isEmpty)
    }

    /// Five devices, shares and inputs in, survivors announced and signed; the honest answers, not yet given.
    static func answering(seed: UInt64, dropping: UInt32? = nil) throws -> (Round, [UInt32: UnmaskResponse], [UInt32: [UInt32]]) {
        let inputs = randomInputs(devices: 5, length: length, seed: seed)
        var round = try Round(devices: 5, length: length)
        try round.shareAll()
        for id in round.clients.keys.sorted() where id != dropping {
            try round.server.receive(try round.clients[id]!.maskedInput(inputs[id]!, shares: round.server.deliveries(for: id)))
        }
        let answers = try round.signAndAnswer()
        return (round, answers, inputs)
    }

    // MARK: step 1: shares

    @Test("a device's second set of shares is refused; its commitment and the shares delivered stay the first ones")
    func repeatedSharesAreRefused() throws {
        let inputs = randomInputs(devices: 5, length: Self.length, seed: 1)
        var round = try Round(devices: 5, length: Self.length)
        var generator = ChaCha20Generator(seed: 5)
        let shares = try round.clients[1]!.shareKeys(round.hoods[1]!, using: &generator)
        let commitment = round.clients[1]!.seedCommitment
        try round.server.receive(shares: shares, from: 1, seedCommitment: commitment)
        for id in UInt32(2)...5 {
            let s = try round.clients[id]!.shareKeys(round.hoods[id]!, using: &round.random)
            try round.server.receive(shares: s, from: id, seedCommitment: round.clients[id]!.seedCommitment)
        }
        let delivered = (1...UInt32(5)).map { round.server.deliveries(for: $0) }
        // The same shares again, under another seed commitment: taken, they would double every neighbor's
        // mail from device 1 and swap the commitment its rebuilt seed is checked against.
        let other = Data(SHA256.hash(data: Data("another seed".utf8)))
        #expect(throws: SecureAggregationError.phase("device 1 already sent its shares")) {
            try round.server.receive(shares: shares, from: 1, seedCommitment: other)
        }
        try #require(round.server.commitments[1] == commitment)
        #expect((1...UInt32(5)).map { round.server.deliveries(for: $0) } == delivered)
        #expect(round.server.shared == Set(1...UInt32(5)))
        try round.inputAll(inputs)
        try Self.finish(&round, inputs: inputs)
    }

    @Test("shares from a device outside the round, or not one to each neighbor, or under a short commitment are refused and change nothing")
    func malformedSharesAreRefused() throws {
        let inputs = randomInputs(devices: 5, length: Self.length, seed: 2)
        var round = try Round(devices: 5, length: Self.length)
        var generator = ChaCha20Generator(seed: 6)
        let shares = try round.clients[1]!.shareKeys(round.hoods[1]!, using: &generator)
        let commitment = round.clients[1]!.seedCommitment
        let oneEach = SecureAggregationError.malformed(1, "it must send exactly one share to each of its 4 neighbors")
        #expect(throws: SecureAggregationError.phase("device 9 is not in this round")) {
            try round.server.receive(shares: shares, from: 9, seedCommitment: commitment)
        }
        #expect(throws: oneEach) { try round.server.receive(shares: Array(shares.dropLast()), from: 1, seedCommitment: commitment) }
        #expect(throws: oneEach) { try round.server.receive(shares: shares + [shares[0]], from: 1, seedCommitment: commitment) }
        var elsewhere = shares
        elsewhere[0].to = 1  // to itself, not a neighbor: a neighbor gets none
        #expect(throws: oneEach) { try round.server.receive(shares: elsewhere, from: 1, seedCommitment: commitment) }
        var forged = shares
        forged[2].from = 3  // a share posing as another device's
        #expect(throws: oneEach) { try round.server.receive(shares: forged, from: 1, seedCommitment: commitment) }
        #expect(throws: SecureAggregationError.malformed(1, "its seed commitment must be 32 bytes (SHA-256)")) {
            try round.server.receive(shares: shares, from: 1, seedCommitment: commitment.prefix(31))
        }
        // Nothing of it was kept: no device's mail, no commitment, device 1 not counted as sharing.
        try #require(round.server.shared.isEmpty && round.server.commitments.isEmpty)
        #expect((1...UInt32(5)).allSatisfy { round.server.deliveries(for: $0).isEmpty })
        try round.server.receive(shares: shares, from: 1, seedCommitment: commitment)
        for id in UInt32(2)...5 {
            let s = try round.clients[id]!.shareKeys(round.hoods[id]!, using: &round.random)
            try round.server.receive(shares: s, from: id, seedCommitment: round.clients[id]!.seedCommitment)
        }
        try round.inputAll(inputs)
        try Self.finish(&round, inputs: inputs)
    }

    @Test("keys that are not 32-byte X25519 keys are refused as bad keys")
    func shortKeysAreRefused() {
        var server = SecureAggregationServer(round: 77, vectorLength: Self.length)
        var keys = SecureAggregationClient(id: 4, round: 77).advertise()
        keys.channelKey = keys.channelKey.prefix(31)
        #expect(throws: SecureAggregationError.badKey(4)) { try server.receive(keys) }
        var long = SecureAggregationClient(id: 5, round: 77).advertise()
        long.maskKey.append(0)
        #expect(throws: SecureAggregationError.badKey(5)) { try server.receive(long) }
        #expect(server.advertised.isEmpty && server.owners.isEmpty)
    }

    // MARK: step 2: inputs

    @Test("a device's second input is refused; the first one is the one summed")
    func repeatedInputsAreRefused() throws {
        let inputs = randomInputs(devices: 5, length: Self.length, seed: 3)
        var round = try Round(devices: 5, length: Self.length)
        try round.shareAll()
        try round.inputAll(inputs)
        let first = try #require(round.server.inputs[2])
        var again = MaskedInput(id: 2, words: first)
        again.words[0] &+= 1000
        #expect(throws: SecureAggregationError.phase("device 2 already sent its input")) { try round.server.receive(again) }
        #expect(round.server.inputs[2] == first)
        try Self.finish(&round, inputs: inputs)
    }

    @Test("an input of the wrong length, or from a device that did not share, is refused and not kept")
    func inputsOfTheWrongLengthAreRefused() throws {
        let inputs = randomInputs(devices: 5, length: Self.length, seed: 4)
        var round = try Round(devices: 5, length: Self.length)
        try round.shareAll()
        let honest = try round.clients[1]!.maskedInput(inputs[1]!, shares: round.server.deliveries(for: 1))
        #expect(throws: SecureAggregationError.wrongLength(id: 1, expected: 8, got: 7)) {
            try round.server.receive(MaskedInput(id: 1, words: Array(honest.words.prefix(7))))
        }
        #expect(throws: SecureAggregationError.wrongLength(id: 1, expected: 8, got: 9)) {
            try round.server.receive(MaskedInput(id: 1, words: honest.words + [0]))
        }
        #expect(throws: SecureAggregationError.phase("device 9 sent an input without sharing its keys")) {
            try round.server.receive(MaskedInput(id: 9, words: honest.words))
        }
        try #require(round.server.inputs.isEmpty)
        try round.server.receive(honest)
        for id in UInt32(2)...5 { try round.server.receive(try round.clients[id]!.maskedInput(inputs[id]!, shares: round.server.deliveries(for: id))) }
        try Self.finish(&round, inputs: inputs)
    }

    @Test("an input from a device that joined but never shared is refused: it could not be unmasked")
    func inputsWithoutSharesAreRefused() throws {
        let inputs = randomInputs(devices: 5, length: Self.length, seed: 5)
        var round = try Round(devices: 5, length: Self.length)
        for id in UInt32(1)...4 {
            let s = try round.clients[id]!.shareKeys(round.hoods[id]!, using: &round.random)
            try round.server.receive(shares: s, from: id, seedCommitment: round.clients[id]!.seedCommitment)
        }
        #expect(throws: SecureAggregationError.phase("device 5 sent an input without sharing its keys")) {
            try round.server.receive(MaskedInput(id: 5, words: inputs[5]!))
        }
        try #require(round.server.inputs[5] == nil)
        for id in UInt32(1)...4 { try round.server.receive(try round.clients[id]!.maskedInput(inputs[id]!, shares: round.server.deliveries(for: id))) }
        try Self.finish(&round, inputs: inputs)
    }

    // MARK: step 4: unmasking

    @Test("a device's second unmasking answer is refused: a changed one cannot replace the first")
    func repeatedAnswersAreRefused() throws {
        var (round, answers, inputs) = try Self.answering(seed: 6)
        for id in answers.keys.sorted() { try round.server.receive(answers[id]!) }
        // Device 1 answers again with every seed share shifted: taken, it would corrupt every device's
        // rebuilt seed (or be named as misbehaving).
        var changed = answers[1]!
        for peer in changed.seedShares.keys { changed.seedShares[peer]!.values[0] = PrimeField61.add(changed.seedShares[peer]!.values[0], 1) }
        #expect(throws: SecureAggregationError.phase("device 1 already answered the unmasking")) { try round.server.receive(changed) }
        let (sum, devices) = try round.server.aggregate()
        #expect(sum == plainSum(inputs, of: devices, length: Self.length))
        #expect(round.server.misbehaving.isEmpty)
    }

    @Test("an answer holding both the seed share and the key share of one device is refused, and the honest answer is still taken")
    func bothShareKindsAreRefused() throws {
        var (round, answers, inputs) = try Self.answering(seed: 7)
        var both = answers[1]!
        both.keyShares[2] = both.seedShares[2]  // a share it holds, in the field, of the right length
        #expect(throws: SecureAggregationError.malformed(1, "it sent both kinds of share for one device")) { try round.server.receive(both) }
        for id in answers.keys.sorted() { try round.server.receive(answers[id]!) }
        let (sum, devices) = try round.server.aggregate()
        #expect(sum == plainSum(inputs, of: devices, length: Self.length))
    }

    enum NotHeld: String, CaseIterable, Sendable {
        case notANeighbor, anotherHoldersShare, shortShare, longShare, outsideTheField
    }

    @Test(
        "a share the sender does not hold is refused: for a device not its neighbor, another holder's, of the wrong length, outside the field",
        arguments: NotHeld.allCases)
    func sharesNotHeldAreRefused(_ kind: NotHeld) throws {
        var (round, answers, inputs) = try Self.answering(seed: 8)
        var bad = answers[1]!
        let peer: UInt32
        switch kind {
        case .notANeighbor:
            peer = 9
            bad.seedShares[9] = bad.seedShares[2]
        case .anotherHoldersShare:
            peer = 5
            bad.seedShares[5] = answers[2]!.seedShares[5]  // holder 2's share of device 5 (x = 2)
        case .shortShare:
            peer = 3
            bad.seedShares[3]!.values.removeLast()
        case .longShare:
            peer = 3
            bad.seedShares[3]!.values.append(1)
        case .outsideTheField:
            peer = 4
            bad.seedShares[4]!.values[0] = PrimeField61.p
        }
        #expect(throws: SecureAggregationError.malformed(1, "its share for device \(peer) is not a share it holds")) { try round.server.receive(bad) }
        for id in answers.keys.sorted() { try round.server.receive(answers[id]!) }
        let (sum, devices) = try round.server.aggregate()
        #expect(sum == plainSum(inputs, of: devices, length: Self.length))
        #expect(round.server.misbehaving.isEmpty)
    }

    @Test("shares that do not follow the announced survivors are refused: a seed share of a device that dropped, a key share of a survivor")
    func sharesAgainstTheSurvivorSetAreRefused() throws {
        // Device 4 shared its keys, then dropped before its input: its neighbors owe its key share, not its seed share.
        var (round, answers, inputs) = try Self.answering(seed: 9, dropping: 4)
        #expect(round.server.announced == [1, 2, 3, 5])
        let follows = SecureAggregationError.malformed(1, "its shares do not follow the announced survivor set")
        var seedOfDropped = answers[1]!
        seedOfDropped.seedShares[4] = seedOfDropped.keyShares.removeValue(forKey: 4)
        #expect(throws: follows) { try round.server.receive(seedOfDropped) }
        var keyOfSurvivor = answers[1]!
        keyOfSurvivor.keyShares[2] = keyOfSurvivor.seedShares.removeValue(forKey: 2)
        #expect(throws: follows) { try round.server.receive(keyOfSurvivor) }
        for id in answers.keys.sorted() { try round.server.receive(answers[id]!) }
        let (sum, devices) = try round.server.aggregate()
        #expect(devices == [1, 2, 3, 5])
        #expect(sum == plainSum(inputs, of: devices, length: Self.length))
    }
}
