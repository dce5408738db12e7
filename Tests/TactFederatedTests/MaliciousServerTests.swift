import Crypto
import Foundation
import TactCore
import TactPrivacy
import Testing

@testable import TactFederated

/// Secure aggregation against a server that does not follow the protocol (issue 23, points 5 and 9):
/// Bonawitz et al. 2017's malicious-server variant. The device computes its threshold itself, aborts
/// when too few shares or survivors reach it, and reveals shares only after its neighbors' signatures
/// show that they were all told the same survivor set. Corrupted shares are detected, not summed.
@Suite struct MaliciousServerTests {
    /// `n` devices on the complete graph with their keys in and the key step closed.
    struct Round {
        var server: SecureAggregationServer
        var clients: [UInt32: SecureAggregationClient]
        var hoods: [UInt32: Neighborhood]
        var random = ChaCha20Generator(seed: 99)

        init(devices n: Int, length: Int = 8, graph: MaskGraph = .complete) throws {
            server = SecureAggregationServer(round: 77, vectorLength: length, graph: graph)
            clients = [:]
            for id in 1...UInt32(n) {
                clients[id] = SecureAggregationClient(id: id, round: 77)
                try server.receive(clients[id]!.advertise())
            }
            hoods = try server.neighborhoods()
        }

        /// Every device shares its keys honestly (with the neighborhood the server built).
        mutating func shareAll() throws {
            for id in clients.keys.sorted() {
                let shares = try clients[id]!.shareKeys(hoods[id]!, using: &random)
                try server.receive(shares: shares, from: id, seedCommitment: clients[id]!.seedCommitment)
            }
        }

        /// Every device sends `inputs[id]`.
        mutating func inputAll(_ inputs: [UInt32: [UInt32]]) throws {
            for id in clients.keys.sorted() { try server.receive(try clients[id]!.maskedInput(inputs[id]!, shares: server.deliveries(for: id))) }
        }

        /// The honest consistency step and the unmasking answers (not yet given to the server).
        mutating func signAndAnswer() throws -> [UInt32: UnmaskResponse] {
            let survivors = try server.survivors()
            for id in survivors.sorted() { try server.receive(try clients[id]!.consistencyCheck(survivors: survivors)) }
            _ = try server.signers()
            var answers: [UInt32: UnmaskResponse] = [:]
            for id in survivors.sorted() { answers[id] = try clients[id]!.unmask(signatures: server.signatures(for: id)) }
            return answers
        }
    }

    @Test("a server that announces t = 1 (or any threshold the device did not compute) gets no shares: the device aborts")
    func theDeviceComputesItsOwnThreshold() throws {
        var round = try Round(devices: 6)
        var hood = round.hoods[1]!
        #expect(hood.threshold == Neighborhood.threshold(holders: 5))
        // With t = 1 every share would be the secret itself: one neighbor's seed share and another's key
        // share would unmask device 1.
        hood.threshold = 1
        var generator = ChaCha20Generator(seed: 1)
        #expect(throws: SecureAggregationError.self) { try round.clients[1]!.shareKeys(hood, using: &generator) }
        // The abort is final: the honest neighborhood is not taken afterwards either.
        #expect(throws: SecureAggregationError.self) { try round.clients[1]!.shareKeys(round.hoods[1]!, using: &generator) }
        // A threshold above what the neighbors make is refused the same way (the device does not
        // guess: the threshold is a fixed function of its neighbor count).
        var high = round.hoods[2]!
        high.threshold = 5
        #expect(throws: SecureAggregationError.self) { try round.clients[2]!.shareKeys(high, using: &generator) }
        // One neighbor only: too few hands for its shares.
        var tiny = round.hoods[3]!
        tiny.neighbors = Array(tiny.neighbors.prefix(1))
        tiny.threshold = Neighborhood.threshold(holders: 1)
        #expect(throws: SecureAggregationError.self) { try round.clients[3]!.shareKeys(tiny, using: &generator) }
    }

    @Test("a server that substitutes a neighbor's keys (or shows one signing key twice) is refused: keys are signed")
    func neighborKeysAreSigned() throws {
        var round = try Round(devices: 5)
        var generator = ChaCha20Generator(seed: 2)
        var forged = round.hoods[1]!
        forged.neighbors[0].maskKey = Curve25519.KeyAgreement.PrivateKey().publicKey.rawRepresentation  // the server's own key
        #expect(throws: SecureAggregationError.self) { try round.clients[1]!.shareKeys(forged, using: &generator) }
        var twice = round.hoods[2]!
        twice.neighbors[1].signingKey = twice.neighbors[0].signingKey
        #expect(throws: SecureAggregationError.self) { try round.clients[2]!.shareKeys(twice, using: &generator) }
        // The server itself refuses unsigned keys, so one bad joiner cannot make every neighbor abort.
        var server = SecureAggregationServer(round: 77, vectorLength: 4)
        var unsigned = SecureAggregationClient(id: 9, round: 77).advertise()
        unsigned.signature = Data(repeating: 0, count: 64)
        #expect(throws: SecureAggregationError.self) { try server.receive(unsigned) }
        // Keys signed for another round are not keys for this one.
        #expect(throws: SecureAggregationError.self) { try server.receive(SecureAggregationClient(id: 9, round: 78).advertise()) }
    }

    @Test("a server that withholds shares cannot leave a device's input under its self mask alone: the device aborts before masking")
    func withheldSharesAbortTheDevice() throws {
        var round = try Round(devices: 6)
        try round.shareAll()
        // Device 1 gets no share at all (or one): before the fix it masked with its self mask only; the server
        // would then tell its neighbors it survived, rebuild the self mask from their seed shares and read
        // device 1's input.
        #expect(throws: SecureAggregationError.tooFewShares(have: 0, need: 3)) { try round.clients[1]!.maskedInput([1, 2, 3, 4, 5, 6, 7, 8], shares: []) }
        var other = round.clients[2]!
        let one = Array(round.server.deliveries(for: 2).prefix(2))
        #expect(throws: SecureAggregationError.tooFewShares(have: 2, need: 3)) { try other.maskedInput([1, 2, 3, 4, 5, 6, 7, 8], shares: one) }
        // Exactly the threshold is enough.
        var third = round.clients[3]!
        _ = try third.maskedInput([1, 2, 3, 4, 5, 6, 7, 8], shares: Array(round.server.deliveries(for: 3).prefix(3)))
    }

    @Test("a server that tells some devices that device 1 dropped and others that it survived is caught by the signatures")
    func equivocationIsCaught() throws {
        var round = try Round(devices: 7)
        try round.shareAll()
        try round.inputAll(randomInputs(devices: 7, length: 8, seed: 4))
        let everyone = Set((1...UInt32(7)))
        let withoutOne = everyone.subtracting([1])
        // The server wants device 1's key share from devices 2…4 (told "1 dropped") and its seed share from
        // 5…7 (told "1 survived"): with both it would unmask device 1's input.
        var signatures: [UInt32: SurvivorSignature] = [:]
        for id in UInt32(2)...4 { signatures[id] = try round.clients[id]!.consistencyCheck(survivors: withoutOne) }
        for id in UInt32(5)...7 { signatures[id] = try round.clients[id]!.consistencyCheck(survivors: everyone) }
        signatures[1] = try round.clients[1]!.consistencyCheck(survivors: everyone)
        // Forwarding every signature shows the two sets: each device finds a neighbor's signature over another set.
        var forwardAll = round.clients
        for id in everyone.sorted() {
            let others = signatures.filter { $0.key != id }.map(\.value)
            #expect(throws: SecureAggregationError.self, "device \(id)") { try forwardAll[id]!.unmask(signatures: others) }
        }
        // Forwarding only the signatures over the set each device was told: at most 3 of its 6 neighbors, under
        // its threshold of 4. Nobody reveals anything.
        #expect(Neighborhood.threshold(holders: 6) == 4)
        for id in UInt32(2)...7 {
            let sameSet: Set<UInt32> = id <= 4 ? [2, 3, 4] : [1, 5, 6, 7]
            let matching = sameSet.subtracting([id]).map { signatures[$0]! }
            #expect(matching.count < 4)
            #expect(throws: SecureAggregationError.self, "device \(id)") { try round.clients[id]!.unmask(signatures: matching) }
        }
    }

    @Test("a survivor signature from an abandoned attempt of the same round number is not accepted in the next")
    func signaturesAreBoundToTheAttempt() throws {
        // The same devices (same signing keys) join two attempts that carry the same round number, as an
        // aggregation restarted after abandonment does; the server replays a signature from the first.
        let signers = (1...UInt32(5)).map { _ in Curve25519.Signing.PrivateKey() }
        func attempt() throws -> Round {
            var round = try Round(devices: 5)
            round.server = SecureAggregationServer(round: 77, vectorLength: 8)
            for id in 1...UInt32(5) {
                round.clients[id] = SecureAggregationClient(id: id, round: 77, signingKey: signers[Int(id) - 1])
                try round.server.receive(round.clients[id]!.advertise())
            }
            round.hoods = try round.server.neighborhoods()
            try round.shareAll()
            try round.inputAll(randomInputs(devices: 5, length: 8, seed: 10))
            return round
        }
        var first = try attempt(), second = try attempt()
        let everyone = Set(1...UInt32(5))
        let old = try (2...UInt32(4)).map { try first.clients[$0]!.consistencyCheck(survivors: everyone) }
        _ = try second.server.survivors()
        _ = try second.clients[1]!.consistencyCheck(survivors: everyone)
        // Devices 2…4 never signed in the second attempt: their old signatures over the same set, a
        // threshold of them, must not count there.
        #expect(Neighborhood.threshold(holders: 4) == 3)
        #expect(throws: SecureAggregationError.self) { try second.clients[1]!.unmask(signatures: old) }
        #expect(throws: SecureAggregationError.self) { try second.server.receive(old[0]) }
    }

    @Test("a device answers the unmasking once, and never with both shares of one neighbor")
    func oneAnswerOnly() throws {
        var round = try Round(devices: 5)
        try round.shareAll()
        try round.inputAll(randomInputs(devices: 5, length: 8, seed: 5))
        let answers = try round.signAndAnswer()
        for (id, answer) in answers { #expect(Set(answer.seedShares.keys).isDisjoint(with: answer.keyShares.keys), "device \(id)") }
        #expect(throws: SecureAggregationError.self) { try round.clients[1]!.unmask(signatures: round.server.signatures(for: 1)) }
        #expect(throws: SecureAggregationError.self) { try round.clients[1]!.consistencyCheck(survivors: Set(1...UInt32(4))) }
    }

    @Test("a corrupted seed share abandons the round instead of publishing a wrong sum; extra shares catch a bad holder")
    func corruptedSeedShareIsDetected() throws {
        let inputs = randomInputs(devices: 7, length: 8, seed: 6)
        var round = try Round(devices: 7)
        try round.shareAll()
        try round.inputAll(inputs)
        var answers = try round.signAndAnswer()
        // Holder 2 alters its share of device 5's seed. The server rebuilds device 5's seed from the first
        // threshold of shares, which include holder 2's: before the fix the sum came out wrong, silently.
        answers[2]!.seedShares[5]!.values[0] = PrimeField61.add(answers[2]!.seedShares[5]!.values[0], 1)
        var server = round.server
        for id in answers.keys.sorted() { try server.receive(answers[id]!) }
        #expect(throws: SecureAggregationError.self) { try server.aggregate() }
        do { _ = try server.aggregate() } catch let error as SecureAggregationError {
            guard case .corruptedShares(5, _) = error else { Issue.record("expected corrupted shares of device 5, got \(error)"); return }
        }
    }

    @Test("a share off the polynomial beyond the threshold does not change the sum, and its holder is named")
    func extraSharesNameABadHolder() throws {
        let inputs = randomInputs(devices: 7, length: 8, seed: 7)
        var round = try Round(devices: 7)
        try round.shareAll()
        try round.inputAll(inputs)
        var answers = try round.signAndAnswer()
        // Device 1's holders are 2…7; its threshold is 4, so holders 6 and 7 are beyond it.
        answers[7]!.seedShares[1]!.values[2] = PrimeField61.add(answers[7]!.seedShares[1]!.values[2], 12345)
        for id in answers.keys.sorted() { try round.server.receive(answers[id]!) }
        let (sum, devices) = try round.server.aggregate()
        #expect(sum == plainSum(inputs, of: devices, length: 8))
        #expect(round.server.misbehaving == [7])
    }

    @Test("a corrupted key share of a device that dropped is detected against its public mask key")
    func corruptedKeyShareIsDetected() throws {
        let inputs = randomInputs(devices: 7, length: 8, seed: 8)
        var round = try Round(devices: 7)
        try round.shareAll()
        // Device 4 drops after sharing: its pairwise masks must be removed with its rebuilt mask key.
        for id in round.clients.keys.sorted() where id != 4 {
            try round.server.receive(try round.clients[id]!.maskedInput(inputs[id]!, shares: round.server.deliveries(for: id)))
        }
        var answers = try round.signAndAnswer()
        #expect(answers[1]!.keyShares[4] != nil)
        answers[1]!.keyShares[4]!.values[1] = PrimeField61.add(answers[1]!.keyShares[4]!.values[1], 1)
        for id in answers.keys.sorted() { try round.server.receive(answers[id]!) }
        #expect(throws: SecureAggregationError.self) { try round.server.aggregate() }
    }

    @Test("honest rounds still sum exactly with the consistency step, on both graphs")
    func honestRoundsStillSum() throws {
        for graph in [MaskGraph.complete, .harary(degree: 6, seed: 3)] {
            let inputs = randomInputs(devices: 12, length: 16, seed: 9)
            var round = try Round(devices: 12, length: 16, graph: graph)
            try round.shareAll()
            try round.inputAll(inputs)
            let answers = try round.signAndAnswer()
            for id in answers.keys.sorted() { try round.server.receive(answers[id]!) }
            let (sum, devices) = try round.server.aggregate()
            #expect(devices.count == 12)
            #expect(sum == plainSum(inputs, of: devices, length: 16))
            #expect(round.server.misbehaving.isEmpty)
        }
    }
}
