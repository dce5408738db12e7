import Foundation
import TactFederated
import TactPrivacy
import TactRecommend
import Testing

@testable import TactServer

/// Opens when told to: holds the neighborhood build back so a test can look at the service meanwhile.
actor Gate {
    private var opened = false
    private var waiting: [CheckedContinuation<Void, Never>] = []
    func wait() async {
        if opened { return }
        await withCheckedContinuation { waiting.append($0) }
    }
    func open() {
        opened = true
        for w in waiting { w.resume() }
        waiting = []
    }
}

extension FederatedSession {
    /// Joins a fresh device (keys signed for this aggregation's secure round) for `person`.
    mutating func joinTestDevice(key: String, person: String) throws -> (id: UInt32, token: String) {
        try join(SecureAggregationClient(id: 1, round: server.round).advertise(), key: key, person: person)
    }
}

/// The service closes key steps off its actor. A time limit: a build that never starts must fail, not hang.
@Suite(.timeLimit(.minutes(1))) struct FederatedServiceTests {
    static func session() -> FederatedSession {
        var als = ALSConfiguration()
        als.factors = 2
        als.iterations = 1
        return FederatedSession(id: "s", options: FederatedTrainingOptions(als: als), items: ["a", "b", "c"], minimumDevices: 3)
    }

    /// Whether the service is seen closing a key step within ten seconds (its build held by a gate).
    static func closing(_ service: FederatedService) async -> Bool {
        for _ in 0..<10_000 {
            if (try? await service.read { $0.closingKeys }) == true { return true }
            try? await Task.sleep(nanoseconds: 1_000_000)
        }
        return false
    }

    static func keyBytes() -> Data { Data((0..<32).map { _ in UInt8.random(in: 0...255) }) }

    /// A service with three devices joined whose key step is being closed, its graph build held at a gate;
    /// nil (with an issue recorded) when the step was closed on the actor instead.
    static func holdingTheKeyStep() async throws -> (FederatedService, Gate, Task<Void, any Error>)? {
        let gate = Gate()
        let service = FederatedService(buildPlan: { keys in
            await gate.wait()
            return try await FederatedService.build(keys)
        })
        try await service.start(Self.session())
        for k in 0..<3 { _ = try await service.update { try $0.joinTestDevice(key: "k\(k)", person: "p\(k)") } }
        let advancing = Task { try await service.advance() }
        guard await Self.closing(service) else {
            await gate.open()
            _ = try? await advancing.value
            Issue.record("the key step was closed on the actor: the service was never seen closing")
            return nil
        }
        return (service, gate, advancing)
    }

    @Test("closing the key step builds the neighborhoods off the actor: reads are answered meanwhile, joins and a second advance refused")
    func closingKeysLeavesTheActorFree() async throws {
        guard let (service, gate, advancing) = try await Self.holdingTheKeyStep() else { return }
        // The build is under way and held: the actor still answers.
        #expect(try await service.read { $0.step } == .keys)
        #expect(try await service.read { $0.closingKeys })
        let late = await #expect(throws: FederatedError.self) {
            try await service.update { try $0.joinTestDevice(key: "late", person: "late") }
        }
        #expect(late.map { "\($0)" }?.contains("closing") == true)
        await #expect(throws: FederatedError.self) { try await service.advance() }
        await gate.open()
        try await advancing.value
        #expect(try await service.read { $0.step } == .shares)
        #expect(try await service.read { $0.server.neighborhood(for: 1)?.neighbors.count } == 2)
    }

    @Test("a training stopped while its keys close is not revived by the build that finishes")
    func stoppedWhileClosing() async throws {
        guard let (service, gate, advancing) = try await Self.holdingTheKeyStep() else { return }
        try await service.abort()
        await gate.open()
        await #expect(throws: FederatedError.self) { try await advancing.value }
        #expect(await service.canStart())
    }
}
