import Testing

@testable import TactCore

@Suite struct PolicyDiffTests {
    let base = PrivacyPolicy.builtIn

    func texts(_ old: PrivacyPolicy, _ new: PrivacyPolicy) -> [String] { PolicyDiff(from: old, to: new).changes.map(\.text) }

    @Test func samePolicyHasNoChanges() {
        var next = base
        next.version = "2"
        let diff = PolicyDiff(from: base, to: next)
        #expect(diff.isEmpty)
        #expect(diff.from == base.version && diff.to == "2")
    }

    @Test func controllerAndContact() {
        var next = base
        next.controller = "Example Music Ltd"
        next.contact = "dpo@example.com"
        let diff = PolicyDiff(from: base, to: next)
        #expect(diff.changes.map(\.kind) == [.controller, .contact])
        #expect(diff.changes[0].text == "controller: \"The operator of this Tact installation\" → \"Example Music Ltd\"")
        #expect(diff.changes[1].text == "contact: \"privacy@example.invalid\" → \"dpo@example.com\"")
    }

    @Test func purposesAddedRemovedAndChanged() {
        var next = base
        next.purposes.removeAll { $0.purpose == .advertising }
        next.purposes[1].legalBasis = "contract"
        next.purposes[1].description = "Choosing what to show you."
        #expect(
            texts(base, next) == [
                "purpose removed: advertising",
                "personalization: legal basis consent → contract",
                "personalization: description \"\(base.purposes[1].description)\" → \"Choosing what to show you.\""
            ])
        let back = PolicyDiff(from: next, to: base)
        #expect(back.changes.contains { $0.kind == .purposeAdded && $0.text.hasPrefix("purpose added: advertising, on the legal basis consent: ") })
    }

    @Test func retentionInPlainWords() {
        var next = base
        next.dataCategories[0].retentionDays = 365
        next.dataCategories[2].retentionDays = 1
        next.dataCategories[1].retentionDays = nil
        #expect(
            texts(base, next) == [
                "interactions: kept 730 days → 365 days",
                "context: kept 90 days → as long as the account exists",
                "consent: kept as long as the account exists → 1 day"
            ])
        #expect(PolicyDiff(from: base, to: next).changes.allSatisfy { $0.kind == .retention })
    }

    @Test func categoriesAddedRemovedAndDescribed() {
        var next = base
        next.dataCategories.removeAll { $0.name == "models" }
        next.dataCategories.append(.init(name: "location", description: "The city you are in.", retentionDays: 30))
        next.dataCategories[0].description = "What you did."
        let diff = PolicyDiff(from: base, to: next)
        #expect(diff.changes.map(\.kind) == [.categoryRemoved, .categoryDescription, .categoryAdded])
        #expect(
            diff.changes.map(\.text) == [
                "data category removed: models",
                "interactions: description \"\(base.dataCategories[0].description)\" → \"What you did.\"",
                "data category added: location, kept 30 days: \"The city you are in.\""
            ])
    }

    @Test func recipientsAddedRemovedAndChanged() {
        var next = base
        next.recipients[0].purposes = [.essential, .analytics]
        next.recipients[0].description = "Runs our servers."
        next.recipients[0].transfer = "United States, standard contractual clauses"
        next.recipients.append(.init(name: "Ad network", purposes: [.advertising], description: "Shows ads.", transfer: "Canada, adequacy decision"))
        #expect(
            texts(base, next) == [
                "recipient Hosting provider: purposes essential → essential, analytics",
                "recipient Hosting provider: description \"\(base.recipients[0].description)\" → \"Runs our servers.\"",
                "recipient Hosting provider: transfer none → \"United States, standard contractual clauses\"",
                "recipient added: Ad network, for advertising, transfer to Canada, adequacy decision"
            ])
        var fewer = base
        fewer.recipients = []
        #expect(PolicyDiff(from: base, to: fewer).changes == [.init(kind: .recipientRemoved, text: "recipient removed: Hosting provider")])
    }

    @Test func transferAndDuplicateCategoriesAreValidated() throws {
        var p = base
        p.recipients[0].transfer = "  "
        #expect { try p.validate() } throws: { ($0 as? PolicyError)?.field == "recipients[0].transfer" }
        p = base
        p.dataCategories.append(p.dataCategories[0])
        #expect { try p.validate() } throws: { ($0 as? PolicyError)?.field == "dataCategories[5].name" }
        // A recipient without a transfer encodes as before (no "transfer" key), so recorded policies keep their text.
        #expect(!String(decoding: base.jsonData(), as: UTF8.self).contains("transfer"))
    }
}
