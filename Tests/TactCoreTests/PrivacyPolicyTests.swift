import Foundation
import Testing

@testable import TactCore

@Suite struct PrivacyPolicyTests {
    @Test func builtInPolicyIsCompleteAndRoundTrips() throws {
        try PrivacyPolicy.builtIn.validate()
        let loaded = try PrivacyPolicy.load(json: PrivacyPolicy.builtIn.jsonData())
        #expect(loaded == PrivacyPolicy.builtIn)
    }

    @Test func missingPurposeIsNamed() throws {
        var p = PrivacyPolicy.builtIn
        p.purposes.removeAll { $0.purpose == .advertising }
        do { _ = try PrivacyPolicy.load(json: p.jsonData()); Issue.record("expected an error") } catch {
            #expect(error.field == "purposes")
            #expect(error.message.contains("advertising"))
        }
    }

    @Test func badFieldsAreNamed() throws {
        var p = PrivacyPolicy.builtIn
        p.purposes[1].legalBasis = "because"
        #expect(throws: PolicyError.self) { try p.validate() }
        p = PrivacyPolicy.builtIn
        p.dataCategories[0].retentionDays = 0
        do { try p.validate() } catch { #expect(error.field == "dataCategories[0].retentionDays") }
        do { _ = try PrivacyPolicy.load(json: Data("{\"version\":\"1\"}".utf8)) } catch { #expect(error.field == "controller") }
        do { _ = try PrivacyPolicy.load(json: Data("{".utf8)) } catch { #expect(!error.message.isEmpty) }
    }

    @Test func purposeListParsing() throws {
        #expect(try Purpose.parseList("personalization, model-training") == [.personalization, .modelTraining])
        #expect(try Purpose.parseList("all") == Purpose.allCases)
        #expect(throws: PurposeListError.self) { try Purpose.parseList("marketing") }
        #expect(throws: PurposeListError.self) { try Purpose.parseList(" , ") }
    }
}
