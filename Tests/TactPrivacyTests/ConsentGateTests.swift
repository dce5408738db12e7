import TactCore
import Testing

@testable import TactPrivacy

@Suite struct ConsentGateTests {
    func state(_ entries: [(Purpose, ConsentDecision, ConsentSource)]) -> ConsentState {
        var s = ConsentState()
        for (p, d, src) in entries { s[p] = .init(decision: d, source: src, recordedAt: 0) }
        return s
    }

    @Test func optInRefusesUntilGranted() {
        let gate = ConsentGate(mode: .optIn)
        #expect(!gate.permits(.personalization, state: ConsentState()))
        #expect(gate.permits(.personalization, state: state([(.personalization, .grant, .person)])))
        #expect(!gate.permits(.analytics, state: state([(.personalization, .grant, .person)])))
        #expect(!gate.permits(.personalization, state: state([(.personalization, .deny, .person)])))
        #expect(gate.permits(.essential, state: ConsentState()))
    }

    @Test func optOutPermitsUntilRefused() {
        let gate = ConsentGate(mode: .optOut)
        #expect(gate.permits(.personalization, state: ConsentState()))
        #expect(gate.permits(.advertising, state: ConsentState()))
        #expect(!gate.permits(.personalization, state: state([(.personalization, .deny, .person)])))
        #expect(gate.permits(.essential, state: state([(.essential, .deny, .person)])))
    }

    @Test func globalPrivacyControlRefusesSaleAndAdvertisingOnce() {
        let gate = ConsentGate(mode: .optOut)
        #expect(gate.refusalsForGlobalPrivacyControl(state: ConsentState()) == [.saleOrSharing, .advertising])
        let after = state([(.saleOrSharing, .deny, .globalPrivacyControl), (.advertising, .deny, .globalPrivacyControl)])
        #expect(gate.refusalsForGlobalPrivacyControl(state: after).isEmpty)
        #expect(!gate.permits(.advertising, state: after))
        #expect(gate.permits(.personalization, state: after))
        // A later grant by the person lifts it; the next signal refuses again.
        let regranted = state([(.saleOrSharing, .deny, .globalPrivacyControl), (.advertising, .grant, .person)])
        #expect(gate.refusalsForGlobalPrivacyControl(state: regranted) == [.advertising])
    }

    @Test func importedGrantsNeverOverrideARefusal() {
        let gate = ConsentGate(mode: .optIn)
        let s = state([
            (.personalization, .deny, .person), (.advertising, .deny, .globalPrivacyControl),
            (.analytics, .grant, .person), (.modelTraining, .deny, .bulkImport)
        ])
        #expect(
            gate.importableGrants([.personalization, .advertising, .analytics, .modelTraining, .saleOrSharing], state: s) == [.modelTraining, .saleOrSharing])
    }
}
