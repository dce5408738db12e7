import TactCore
import TactRecommend
import TactTestSupport
import Testing

@testable import TactEngine

/// The one place that decides who gets which recommendation: the rules every front end relies on.
@Suite struct PersonalRecommendationsTests {
    let tmp = TemporaryDirectory()

    /// Ten items: "ad" (sponsored) is everyone's favourite, then i1…i9 in order of popularity; "late"
    /// joins the catalog after training. "fan" had i1 and i2; "shy" had i1 but allows no personalization.
    func policy() throws -> PersonalRecommendations {
        let engine = try makeEngine(tmp, mode: .optIn)
        try engine.store.write { w in
            _ = try w.upsertItem(Item(id: "ad", title: "Buy this", tags: ["sponsored", "jazz"]))
            for i in 1...9 { _ = try w.upsertItem(Item(id: "i\(i)", title: "Item \(i)", tags: [i % 2 == 0 ? "jazz" : "rock"])) }
        }
        let consent = ConsentService(engine: engine)
        var events: [IncomingInteraction] = []
        for p in 0..<12 {
            try consent.record(user: "p\(p)", purposes: [.personalization, .modelTraining], decision: .grant)
            events.append(event("p\(p)", "ad"))
            for i in 1...9 where p < 12 - i { events.append(event("p\(p)", "i\(i)")) }
        }
        try consent.record(user: "fan", purposes: [.personalization, .modelTraining], decision: .grant)
        try consent.record(user: "shy", purposes: [.modelTraining], decision: .grant)
        events += [event("fan", "i1"), event("fan", "i2"), event("shy", "i1")]
        _ = try Ingestor(engine: engine).ingest(events, options: IngestOptions())
        let popularity = try PopularityRecommender(engine: engine).train(halfLifeDays: nil)
        try engine.store.write { w in _ = try w.upsertItem(Item(id: "late", title: "New", tags: ["jazz"])) }
        // The personal model knows "ad" and i1…i6 only (as if i7…i9 were new when it was trained); it ranks them by popularity.
        let known = ["ad"] + (1...6).map { "i\($0)" }
        let served = PopularityModel(itemCount: known.count, now: 0) { add in for i in known.indices { add(i, Float(known.count - i), 0) } }
        let recommender = try ModelRecommender(engine: engine, served: served, itemIDs: known)
        return PersonalRecommendations(engine: engine, recommender: recommender, popularity: popularity, catalog: try StoredCatalog(engine: engine))
    }

    func pseudonym(_ policy: PersonalRecommendations, _ user: String) -> Pseudonym { policy.engine.pseudonymizer.pseudonym(for: user) }

    @Test("sponsored items never appear in a person's or a session's list, personalized or not; only as placements, with advertising consent")
    func sponsoredOnlyAsPlacements() throws {
        let policy = try policy()
        for user in ["fan", "shy", "stranger"] {
            let list = try policy.forPerson(pseudonym(policy, user), RecommendationRequest(k: 10))
            #expect(!list.items.contains { $0.item.id == "ad" }, "\(user): \(list.items.map(\.item.id))")
        }
        #expect(!policy.forSession(["i1"], RecommendationRequest(k: 10)).items.contains { $0.item.id == "ad" })
        #expect(try policy.sponsored(for: pseudonym(policy, "fan"), k: 3).empty == .noAdvertisingConsent)
        try ConsentService(engine: policy.engine).record(user: "fan", purposes: [.advertising], decision: .grant)
        let placements = try policy.sponsored(for: pseudonym(policy, "fan"), k: 3)
        #expect(placements.items.map(\.item.id) == ["ad"] && placements.empty == nil)
    }

    @Test("a personal list too short after the filter is topped up with everyone's favourites, never with what the person had")
    func shortListsAreToppedUp() throws {
        let policy = try policy()
        let list = try policy.forPerson(pseudonym(policy, "fan"), RecommendationRequest(k: 3, filter: RecommendationFilter(includeTags: ["jazz"])))
        #expect(list.personalized)
        let ids = list.items.map(\.item.id)
        // Jazz items the model knows: i2 (had), i4, i6; then everyone's favourites among the rest: i8 ("late" was never counted).
        #expect(ids == ["i4", "i6", "i8"], "\(ids)")
        #expect(list.items.last?.reasons == [.popular(rank: 9)])
        let wide = try policy.forPerson(pseudonym(policy, "fan"), RecommendationRequest(k: 7))
        #expect(wide.items.map(\.item.id) == ["i3", "i4", "i5", "i6", "i7", "i8", "i9"], "\(wide.items.map(\.item.id))")
    }

    @Test("everyone's favourites, with the reason, for a person without consent, a stranger, a session of unknown items, and when no model is trained")
    func fallbacks() throws {
        let policy = try policy()
        let shy = try policy.forPerson(pseudonym(policy, "shy"), RecommendationRequest(k: 3))
        #expect(shy.fallback == .noPersonalizationConsent && shy.items.map(\.item.id) == ["i1", "i2", "i3"])
        #expect(
            shy.items.map(\.reasons) == [[.popular(rank: 2)], [.popular(rank: 3)], [.popular(rank: 4)]],
            "ranks among everyone's favourites: the sponsored one is number 1")
        // Opt-in: someone of whom nothing is stored has consented to nothing.
        #expect(try policy.forPerson(pseudonym(policy, "stranger"), RecommendationRequest(k: 3)).fallback == .noPersonalizationConsent)
        let none = PersonalRecommendations(engine: policy.engine, recommender: nil, popularity: policy.popularity, catalog: policy.catalog)
        #expect(try none.forPerson(pseudonym(policy, "fan"), RecommendationRequest(k: 3)).fallback == .noModel)
        #expect(none.forSession(["i1"], RecommendationRequest(k: 3)).fallback == .noModel)
        #expect(policy.forSession(["nothing-known"], RecommendationRequest(k: 3)).fallback == .noKnownItems)
    }

    @Test("an item deleted from the catalog since training is never shown; a renamed one is shown as the catalog holds it now")
    func catalogAsItIsNow() throws {
        let policy = try policy()
        try policy.engine.store.write { w in
            _ = try w.deleteItem(id: "i3")
            _ = try w.upsertItem(Item(id: "i4", title: "Renamed", tags: ["jazz"]))
        }
        let now = PersonalRecommendations(
            engine: policy.engine, recommender: policy.recommender, popularity: policy.popularity,
            catalog: try StoredCatalog(engine: policy.engine))
        for user in ["fan", "stranger"] {
            let list = try now.forPerson(pseudonym(policy, user), RecommendationRequest(k: 8))
            #expect(!list.items.contains { $0.item.id == "i3" })
            #expect(list.items.first { $0.item.id == "i4" }?.item.title == "Renamed")
        }
    }
}

extension PersonalRecommendationsTests {
    @Test("playlists show the catalog as it is now: an item deleted since training is left out of a person's, a session's and a seed's playlist")
    func playlistsFollowTheCatalog() throws {
        let before = try policy()
        let options = PlaylistOptions(length: 6, familiarShare: 0, maxPerGroup: nil, smoothness: 0.5)
        let listed = try #require(try before.playlist(for: pseudonym(before, "fan"), options: options)).entries.map(\.item.id)
        let gone = try #require(listed.first { $0 != "i3" && $0 != "ad" })
        try before.engine.store.write { w in _ = try w.deleteItem(id: gone) }
        let now = PersonalRecommendations(
            engine: before.engine, recommender: before.recommender, popularity: before.popularity,
            catalog: try StoredCatalog(engine: before.engine))
        let person = try #require(try now.playlist(for: pseudonym(before, "fan"), options: options))
        #expect(!person.entries.contains { $0.item.id == gone } && !person.entries.isEmpty, "\(person.entries.map(\.item.id))")
        let session = try #require(now.playlist(forSession: ["i1"], options: options))
        #expect(!session.entries.contains { $0.item.id == gone })
        let seeded = try #require(try now.playlist(fromSeed: "i1", options: options))
        #expect(!seeded.entries.contains { $0.item.id == gone } && seeded.entries.first?.item.id == "i1")
        #expect(
            try PersonalRecommendations(engine: before.engine, recommender: nil, popularity: before.popularity, catalog: now.catalog)
                .playlist(fromSeed: "i1", options: options) == nil)
    }
}
