import Foundation
import TactCore
import TactTestSupport
import Testing

@testable import TactStore

/// The store's contract on every backend (SQLite always; PostgreSQL when `TACT_TEST_POSTGRES_URL` names
/// a server, which `.ci/run` always starts). The other suites in this target run on both as well.
@Suite struct StoreConformanceTests {
    func pseudonym(_ n: UInt8) -> Pseudonym { Pseudonym(bytes: (0..<32).map { UInt8(truncatingIfNeeded: Int(n) &* 31 &+ $0) }) }

    @Test("model artifacts are versioned, keep the newest three, and refuse bytes that do not match their hash", arguments: StoreBackend.available)
    func modelArtifacts(_ backend: StoreBackend) throws {
        let db = try TestStore(backend)
        let store = try db.open()
        #expect(try store.read { try $0.latestModelArtifact(algorithm: "als") } == nil)
        var infos: [ModelArtifactInfo] = []
        for v in 1...4 {
            infos.append(
                try store.write { try $0.appendModelArtifact(algorithm: "als", bytes: Array(repeating: UInt8(v), count: 1000 * v), createdAt: Int64(v)) })
        }
        _ = try store.write { try $0.appendModelArtifact(algorithm: "knn", bytes: [1, 2, 3], createdAt: 9) }
        #expect(infos.map(\.version) == [1, 2, 3, 4])
        let other = try db.open()
        #expect(try other.read { try $0.latestModelArtifact(algorithm: "als") } == infos[3])
        #expect(try other.read { try $0.modelArtifactBytes(algorithm: "als", version: 4) } == Array(repeating: 4, count: 4000))
        #expect(try other.read { try $0.modelArtifactBytes(algorithm: "als", version: 2) }?.count == 2000)
        #expect(try other.read { try $0.modelArtifactBytes(algorithm: "als", version: 1) } == nil, "older than the newest three")
        #expect(try other.read { try $0.latestModelArtifact(algorithm: "knn") }?.version == 1)
        // A changed byte is caught when the model is read, not served.
        try db.rawExecute("UPDATE model_artifacts SET created_at = 0, bytes = \(backend == .sqlite ? "x'00'" : "'\\x00'::bytea") WHERE algorithm = 'knn'")
        #expect(throws: StoreError.self) { try other.read { try $0.modelArtifactBytes(algorithm: "knn", version: 1) } }
    }

    @Test(
        "the Guard's shared state: events in commit order and pruned by age, states per principal, one lease holder at a time, rate usage of other servers",
        arguments: StoreBackend.available)
    func guardShared(_ backend: StoreBackend) throws {
        let db = try TestStore(backend)
        let store = try db.open(), other = try db.open()
        let roles: [String?] = [nil, "batch 02-05", "app", nil, nil], orders: [Int?] = [nil, nil, 5, 0, nil]
        let events = (0..<5).map { (i: Int) -> GuardEventRecord in
            GuardEventRecord(
                at: 100 + Int64(i), principal: "key:k\(i % 2)", person: i == 4 ? nil : "p\(i)", route: "GET /v1/people/{person}/x",
                kind: "read", status: i == 3 ? 403 : 200, role: roles[i], order: orders[i])
        }
        try store.write { try $0.appendGuardEvents(Array(events.prefix(3))) }
        try other.write { try $0.appendGuardEvents(Array(events.suffix(2))) }
        let read = try other.read { try $0.guardEvents(after: 0, limit: 100) }
        #expect(
            read.map {
                GuardEventRecord(
                    at: $0.at, principal: $0.principal, person: $0.person, route: $0.route, kind: $0.kind, status: $0.status, role: $0.role, order: $0.order)
            } == events)
        let ids = read.compactMap(\.id)
        #expect(ids.count == 5 && ids == ids.sorted())
        #expect(try store.read { try $0.guardEvents(after: ids[1], limit: 2) }.map(\.at) == [102, 103])
        #expect(try store.write { try $0.deleteGuardEvents(before: 102) } == 2)
        #expect(try store.read { try $0.guardEvents(after: 0, limit: 100) }.map(\.at) == [102, 103, 104])

        try store.write { try $0.saveGuardStates(["key:a": [1, 2, 3], "key:b": [4]], at: 10) }
        try other.write { try $0.saveGuardStates(["key:a": [9]], at: 11) }
        #expect(try store.read { try $0.guardStates() } == ["key:a": [9], "key:b": [4]])

        // One holder at a time; the lease passes on when it expires, with the cursor its holder reached.
        #expect(try store.write { try $0.acquireGuardLease("guard", holder: "s1", now: 1000, seconds: 10) } == 0)
        #expect(try other.write { try $0.acquireGuardLease("guard", holder: "s2", now: 1005, seconds: 10) } == nil)
        #expect(try store.write { try $0.advanceGuardLease("guard", holder: "s1", cursor: 42) })
        #expect(try !other.write { try $0.advanceGuardLease("guard", holder: "s2", cursor: 7) })
        #expect(try store.write { try $0.acquireGuardLease("guard", holder: "s1", now: 1008, seconds: 10) } == 42)
        #expect(try other.write { try $0.acquireGuardLease("guard", holder: "s2", now: 1017, seconds: 10) } == nil)
        #expect(try other.write { try $0.acquireGuardLease("guard", holder: "s2", now: 1018, seconds: 10) } == 42)
        #expect(try store.write { try $0.acquireGuardLease("guard", holder: "s1", now: 1019, seconds: 10) } == nil)

        try store.write { try $0.addRateUsage(server: "s1", second: 50, counts: ["k1": 3, "k2": 1]) }
        try store.write { try $0.addRateUsage(server: "s1", second: 50, counts: ["k1": 2]) }
        try other.write { try $0.addRateUsage(server: "s2", second: 51, counts: ["k1": 4]) }
        try other.write { try $0.addRateUsage(server: "s2", second: 40, counts: ["k1": 100]) }
        #expect(try store.read { try $0.rateUsage(since: 45, excluding: "s1") } == ["k1": 4])
        #expect(try other.read { try $0.rateUsage(since: 45, excluding: "s2") } == ["k1": 5, "k2": 1])
        try store.write { try $0.deleteRateUsage(before: 51) }
        #expect(try other.read { try $0.rateUsage(since: 0, excluding: "none") } == ["k1": 4])

        // Erasure reaches the shared accesses too: the person's (named by pseudonym in hex) go, others' stay.
        let erased = pseudonym(77), kept = pseudonym(78)
        let row = try store.write { w in
            _ = try w.insertSubject(kept, createdAt: 1)
            return try w.insertSubject(erased, createdAt: 1)
        }
        try store.write { w in
            try w.appendGuardEvents(
                [erased, kept, erased].map {
                    GuardEventRecord(at: 500, principal: "key:k9", person: $0.hex, route: "GET /v1/people/{person}/x", kind: "read", status: 200)
                })
        }
        _ = try store.write { w in try w.eraseSubject(row) }
        #expect(try store.read { try $0.guardEvents(after: 0, limit: 100) }.filter { $0.at == 500 }.map(\.person) == [kept.hex])
    }

    @Test("ad campaigns and events: totals, a person's counts, contributions per contributor, tokens, and erasure", arguments: StoreBackend.available)
    func adRecords(_ backend: StoreBackend) throws {
        let db = try TestStore(backend)
        let store = try db.open()
        let person = Pseudonym(bytes: Array(repeating: 7, count: 32))
        let row = try store.write { w in try w.insertSubject(person, createdAt: 1) }
        try store.write { w in
            try w.upsertAdCampaign(AdCampaignRecord(id: "c1", advertiser: "A", status: "active", createdAt: 5, definition: "{}"))
            try w.upsertAdCampaign(AdCampaignRecord(id: "c1", advertiser: "A", status: "paused", createdAt: 5, definition: "{\"x\":1}"))
            for (n, at) in [100, 200, 300].enumerated() {
                try w.appendAdEvent(
                    AdEvent(campaign: "c1", subject: row, kind: .impression, at: Int64(at), cost: 0.5, token: Array(repeating: UInt8(n), count: 16)))
            }
            try w.appendAdEvent(AdEvent(campaign: "c1", subject: nil, kind: .impression, at: 300, cost: 0.5, token: Array(repeating: 9, count: 16)))
            try w.appendAdEvent(AdEvent(campaign: "c1", subject: nil, kind: .click, at: 301, cost: 0, token: Array(repeating: 9, count: 16)))
        }
        let campaigns = try store.read { try $0.adCampaigns() }
        #expect(campaigns == [AdCampaignRecord(id: "c1", advertiser: "A", status: "paused", createdAt: 5, definition: "{\"x\":1}")])
        let totals = try store.read { try $0.adTotals(since: 200) }["c1"]
        #expect(totals?.impressions == 4 && totals?.clicks == 1 && totals?.spentSince == 1.5)
        #expect(try store.read { try $0.adImpressions(of: row, since: 200) } == ["c1": 2])
        #expect(try store.read { try $0.adContributions(campaign: "c1", kind: .impression) }.sorted() == [1, 3])
        #expect(try store.read { try $0.adImpression(token: Array(repeating: 9, count: 16)) }?.subject == nil)
        #expect(try store.read { try $0.adImpression(token: Array(repeating: 1, count: 16)) }?.subject == row)
        #expect(try store.read { try $0.adEventExists(token: Array(repeating: 9, count: 16), kind: .click) })
        #expect(try !store.read { try $0.adEventExists(token: Array(repeating: 9, count: 16), kind: .conversion) })
        #expect(try store.read { try $0.adEvents(of: row) }.map(\.at) == [100, 200, 300])
        _ = try store.write { w in try w.eraseSubject(row) }
        #expect(try store.read { try $0.adContributions(campaign: "c1", kind: .impression) } == [1], "only the anonymous impression is left")
    }

    @Test("each event keeps the purpose it was collected under, with or without free text, through every read", arguments: StoreBackend.available)
    func interactionPurpose(_ backend: StoreBackend) throws {
        let db = try TestStore(backend)
        let store = try db.open()
        let person = pseudonym(41)
        let (row, item) = try store.write { w in (try w.insertSubject(person, createdAt: 1), try w.ensureItem(id: "i1")) }
        try store.write { w in
            try w.insertInteraction(subject: row, item: item, kind: .play, value: 1, timestamp: 10, context: nil)
            try w.insertInteraction(subject: row, item: item, kind: .purchase, value: 1, timestamp: 11, context: nil, sealedContext: nil, purpose: .essential)
            try w.insertInteraction(subject: row, item: item, kind: .view, value: 1, timestamp: 12, context: nil, sealedContext: [1, 2, 3], purpose: .analytics)
            // Read inside the same write: queued events are sent first.
            #expect(try w.interactions(of: row).map(\.purpose) == [.personalization, .essential, .analytics])
        }
        #expect(try store.read { try $0.interactions(of: row) }.map(\.purpose) == [.personalization, .essential, .analytics])
        var all: [Purpose] = []
        try store.read { r in try r.forEachInteraction { all.append($0.purpose) } }
        #expect(all == [.personalization, .essential, .analytics])
    }

    @Test(
        "training's stream gives every event's person, item, kind, value and time, in storage order, as the full records do", arguments: StoreBackend.available)
    func trainingEvents(_ backend: StoreBackend) throws {
        let db = try TestStore(backend)
        let store = try db.open()
        let kinds = InteractionKind.allCases
        try store.write { w in
            let people = try (0..<5).map { try w.insertSubject(pseudonym(UInt8(60 + $0)), createdAt: 1) }
            let items = try (0..<7).map { try w.ensureItem(id: "t\($0)") }
            for n in 0..<200 {
                try w.insertInteraction(
                    subject: people[n % 5], item: items[(n * 3) % 7], kind: kinds[n % kinds.count], value: Double(n % 9) / 2,
                    timestamp: 1_000 + Int64(n), context: n % 10 == 0 ? "note \(n)" : nil, sealedContext: n % 7 == 0 ? [1, 2] : nil,
                    purpose: n % 11 == 0 ? .analytics : .personalization)
            }
        }
        var records: [TrainingEvent] = [], streamed: [TrainingEvent] = []
        try store.read { r in
            try r.forEachInteraction {
                records.append(TrainingEvent(subject: $0.subject, item: $0.item, kind: $0.kind, value: $0.value, timestamp: $0.timestamp))
            }
            try r.forEachTrainingEvent { streamed.append($0) }
        }
        #expect(streamed.count == 200)
        #expect(streamed == records)
        #expect(Set(streamed.map(\.kind)) == Set(kinds))
    }

    @Test("items an event created are not registered until the catalog names them; registered ones stay registered", arguments: StoreBackend.available)
    func registeredItems(_ backend: StoreBackend) throws {
        let db = try TestStore(backend)
        let store = try db.open()
        try store.write { w in
            _ = try w.ensureItem(id: "from-an-event")
            _ = try w.upsertItem(Item(id: "b", title: "B"))
            _ = try w.upsertItem(Item(id: "a"))
            _ = try w.ensureItem(id: "a")  // an event naming a registered item changes nothing
        }
        #expect(try store.read { try $0.items() }.count == 3)
        #expect(Set(try store.read { try $0.registeredItems() }.map(\.item.id)) == ["a", "b"])
        try store.write { w in _ = try w.upsertItem(Item(id: "from-an-event", title: "Now in the catalog")) }
        let registered = try store.read { try $0.registeredItems() }
        #expect(Set(registered.map(\.item.id)) == ["a", "b", "from-an-event"])
        #expect(registered.first { $0.item.id == "from-an-event" }?.item.title == "Now in the catalog")
    }

    @Test("model evaluations come back in order, newest last, limited to the newest", arguments: StoreBackend.available)
    func modelEvaluations(_ backend: StoreBackend) throws {
        let db = try TestStore(backend)
        let store = try db.open()
        #expect(try store.read { try $0.modelEvaluations(limit: 10) }.isEmpty)
        for i in 1...4 {
            let e = ModelEvaluation(
                algorithm: "als", artifactVersion: Int64(i), recordedAt: 1_000 + Int64(i), k: 10, ndcg: 0.1 * Double(i),
                recall: 0.2, baselineNDCG: 0.05, baselineRecall: 0.1, people: 100 + i, pairs: 1_000, trainingSeconds: 0.5)
            try store.write { try $0.appendModelEvaluation(e) }
        }
        let latest = try store.read { try $0.modelEvaluations(limit: 3) }
        #expect(latest.map(\.artifactVersion) == [2, 3, 4])
        #expect(
            latest.last
                == ModelEvaluation(
                    algorithm: "als", artifactVersion: 4, recordedAt: 1_004, k: 10, ndcg: 0.4, recall: 0.2,
                    baselineNDCG: 0.05, baselineRecall: 0.1, people: 104, pairs: 1_000, trainingSeconds: 0.5))
    }

    @Test("a check and a write in one transaction never interleave with another writer's, across stores", arguments: StoreBackend.available)
    func checkThenWriteIsSerialized(_ backend: StoreBackend) async throws {
        let db = try TestStore(backend)
        let stores = [try db.open(), try db.open()]
        // Like a privacy budget: each writer appends only while fewer than 40 releases are recorded.
        await withTaskGroup(of: Void.self) { group in
            for t in 0..<4 {
                let store = stores[t % 2]
                group.addTask {
                    for _ in 0..<20 {
                        try? store.write { w in
                            let spent = try w.privacyReleases(dataset: "d").count
                            if spent < 40 {
                                try w.appendPrivacyRelease(PrivacyRelease(dataset: "d", release: "r", mechanism: "m", epsilon: 0.1, delta: 0, recordedAt: 1))
                            }
                        }
                    }
                }
            }
        }
        #expect(try stores[0].read { try $0.privacyReleases(dataset: "d") }.count == 40)
    }

    @Test("thousands of events in one write: a read inside it sees them all, and a throw keeps none", arguments: StoreBackend.available)
    func largeWrites(_ backend: StoreBackend) throws {
        let db = try TestStore(backend)
        let store = try db.open()
        let n = 9_500
        let seen = try store.write { w -> Int in
            try w.beginBulkLoad()
            let items = try (0..<50).map { try w.ensureItem(id: "i\($0)") }
            for p in 0..<19 {
                let s = try w.insertSubject(pseudonym(UInt8(p)), createdAt: 0)
                for e in 0..<(n / 19) { try w.insertInteraction(subject: s, item: items[e % 50], kind: .play, value: 1, timestamp: Int64(e), context: nil) }
            }
            let count = try w.interactionCount()
            try w.endBulkLoad()
            return count
        }
        #expect(seen == n)
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try store.write { w in
                let s = try #require(try w.subjectRow(for: pseudonym(0)))
                for e in 0..<5_000 { try w.insertInteraction(subject: s, item: 1, kind: .view, value: 1, timestamp: Int64(e), context: "x") }
                throw Boom()
            }
        }
        #expect(try store.read { try $0.interactionCount() } == n)
        try store.read { r throws in
            let s = try #require(try r.subjectRow(for: pseudonym(3)))
            #expect(try r.servingHistory(of: s).count == n / 19)
            #expect(try r.interactions(of: s).map(\.timestamp) == (0..<Int64(n / 19)).map { $0 })
        }
    }

    @Test("erasure removes a person's rows and only theirs; rectification touches only their own events", arguments: StoreBackend.available)
    func erasureAndRectification(_ backend: StoreBackend) throws {
        let db = try TestStore(backend)
        let store = try db.open()
        let (a, b) = try store.write { w -> (SubjectRow, SubjectRow) in
            let a = try w.insertSubject(pseudonym(1), createdAt: 0), b = try w.insertSubject(pseudonym(2), createdAt: 0)
            let i = try w.ensureItem(id: "i")
            for s in [a, b] {
                try w.insertInteraction(subject: s, item: i, kind: .play, value: 1, timestamp: 1, context: nil)
                try w.appendConsent(
                    ConsentRecord(
                        subject: s == a ? pseudonym(1) : pseudonym(2), purpose: .personalization, decision: .grant,
                        source: .person, recordedAt: 1, policyVersion: "1"), subject: s)
            }
            return (a, b)
        }
        let bEvent = try #require(try store.read { try $0.interactions(of: b) }.first?.id)
        #expect(try store.write { try $0.correctInteraction(id: bEvent, of: a, kind: .skip, value: -1) } == false, "another person's event")
        #expect(try store.write { try $0.deleteInteractions(ids: [bEvent], of: a) } == 0)
        #expect(try store.write { try $0.correctInteraction(id: bEvent, of: b, kind: .skip, value: -1) })
        try store.write { try $0.setRestriction(of: b, at: 7) }
        #expect(try store.read { try $0.restrictedSubjects() } == [b])
        let counts = try store.write { try $0.eraseSubject(a) }
        #expect(counts == ErasureCounts(interactions: 1, consentRecords: 1))
        try store.read { r throws in
            #expect(try r.subjectRow(for: pseudonym(1)) == nil)
            #expect(try r.pseudonym(of: a) == nil)
            #expect(try r.auditHandle(of: a) == nil)
            #expect(try r.interactions(of: b).map(\.kind) == [.skip])
            #expect(try r.restriction(of: b) == 7)
            #expect(try r.subjectPseudonyms() == [b: pseudonym(2)])
            #expect(try r.latestDecisions(for: .personalization) == [b: .grant])
        }
    }

    @Test("who was active lately: each person with an event since a time, with their latest", arguments: StoreBackend.available)
    func recentlyActive(_ backend: StoreBackend) throws {
        let db = try TestStore(backend)
        let store = try db.open()
        let (a, _, _) = try store.write { w -> (SubjectRow, SubjectRow, SubjectRow) in
            let a = try w.insertSubject(pseudonym(1), createdAt: 0), b = try w.insertSubject(pseudonym(2), createdAt: 0)
            let c = try w.insertSubject(pseudonym(3), createdAt: 0)
            let i = try w.ensureItem(id: "i")
            for (s, t) in [(a, 100), (a, 300), (a, 200), (b, 50), (c, 150)] as [(SubjectRow, Int64)] {
                try w.insertInteraction(subject: s, item: i, kind: .view, value: 1, timestamp: t, context: nil)
            }
            return (a, b, c)
        }
        #expect(try store.read { try $0.recentActivity(since: 120) } == RecentActivity(latest: [pseudonym(1): 300, pseudonym(3): 150], people: 3))
        #expect(try store.read { try $0.recentActivity(since: 301) } == RecentActivity(latest: [:], people: 3))
        _ = try store.write { try $0.eraseSubject(a) }
        #expect(
            try store.read { try $0.recentActivity(since: 0) } == RecentActivity(latest: [pseudonym(2): 50, pseudonym(3): 150], people: 2),
            "an erased person is gone")
    }

    @Test("serving's one read of a person equals the separate reads", arguments: StoreBackend.available)
    func servingProfile(_ backend: StoreBackend) throws {
        let db = try TestStore(backend)
        let store = try db.open()
        let p = pseudonym(9)
        try store.write { w in
            let s = try w.insertSubject(p, createdAt: 0), other = try w.insertSubject(pseudonym(10), createdAt: 0)
            for (n, item) in ["a", "b", "c"].enumerated() {
                try w.insertInteraction(
                    subject: s, item: try w.ensureItem(id: item), kind: n == 1 ? .skip : .play, value: Double(n) + 0.5, timestamp: Int64(n), context: nil)
            }
            try w.insertInteraction(subject: other, item: try w.ensureItem(id: "a"), kind: .play, value: 9, timestamp: 0, context: nil)
            for (t, decision) in [(Int64(3), ConsentDecision.grant), (4, .deny), (5, .grant)] {
                try w.appendConsent(
                    ConsentRecord(subject: p, purpose: .personalization, decision: decision, source: .person, recordedAt: t, policyVersion: "1"), subject: s)
            }
            try w.appendConsent(
                ConsentRecord(subject: p, purpose: .advertising, decision: .deny, source: .globalPrivacyControl, recordedAt: 6, policyVersion: "1"), subject: s)
            try w.setRestriction(of: s, at: 42)
        }
        try store.readLatest { r throws in
            let profile = try #require(try r.servingProfile(of: p))
            let row = try #require(try r.subjectRow(for: p))
            #expect(profile.row == row)
            #expect(profile.consent == (try r.consentState(of: row)))
            #expect(profile.consent.decision(for: .personalization) == .grant && profile.consent[.advertising]?.source == .globalPrivacyControl)
            #expect(profile.restrictedAt == 42)
            let expected = try r.servingHistory(of: row).map { "\($0.item) \($0.kind) \($0.value)" }.sorted()
            #expect(profile.history.map { "\($0.item) \($0.kind) \($0.value)" }.sorted() == expected)
            #expect(expected.count == 3)
            #expect(try r.servingProfile(of: pseudonym(11)) == nil)
        }
    }

    @Test("batch reads equal the single reads they stand for", arguments: StoreBackend.available)
    func batchReads(_ backend: StoreBackend) throws {
        let db = try TestStore(backend)
        let store = try db.open()
        try store.write { w in
            for p in 0..<5 {
                let s = try w.insertSubject(pseudonym(UInt8(p)), createdAt: 0)
                for i in 0..<4 where (i + p) % 3 != 0 {
                    try w.insertInteraction(subject: s, item: try w.ensureItem(id: "i\(i)"), kind: .play, value: Double(p), timestamp: 0, context: nil)
                }
                try w.appendConsent(
                    ConsentRecord(
                        subject: pseudonym(UInt8(p)), purpose: .analytics, decision: p % 2 == 0 ? .grant : .deny,
                        source: .person, recordedAt: 1, policyVersion: "1"), subject: s)
                if p == 3 { try w.setRestriction(of: s, at: 8) }
            }
            _ = try w.ensureItem(id: "unused")
        }
        try store.read { r throws in
            let ids = ["i0", "i1", "i2", "i3", "unused", "missing"]
            let rows = try r.itemRows(for: ids)
            #expect(rows.count == 5 && rows["missing"] == nil)
            for id in ids { #expect(rows[id] == (try r.itemRow(for: id))) }
            let histories = try r.itemHistories(of: Array(rows.values))
            #expect(histories[rows["unused"]!] == nil)
            for (_, row) in rows where row != rows["unused"] {
                let single = try r.itemHistory(of: row).map { "\($0.subject) \($0.kind) \($0.value)" }.sorted()
                #expect(histories[row].map { $0.map { "\($0.subject) \($0.kind) \($0.value)" }.sorted() } == single)
            }
            let states = try r.subjectStates(for: (0..<7).map { pseudonym(UInt8($0)) })
            #expect(states.count == 5, "two of the seven are unknown")
            for (p, state) in states {
                #expect(state.row == (try r.subjectRow(for: p)))
                #expect(state.consent == (try r.consentState(of: state.row)))
                #expect(state.restrictedAt == (try r.restriction(of: state.row)))
            }
            let subjects: [SubjectRow] = Array(Set(histories.values.flatMap { $0.map(\.subject) })) + [424_242]
            let names = try r.pseudonyms(of: subjects)
            #expect(names.count == 5)
            for s in subjects { #expect(names[s] == (try r.pseudonym(of: s))) }
        }
    }

    @Test("a setting is recorded once and then only read back", arguments: StoreBackend.available)
    func settings(_ backend: StoreBackend) throws {
        let db = try TestStore(backend)
        let store = try db.open()
        #expect(try store.read { try $0.setting("mode") } == nil)
        #expect(try store.write { try $0.recordSettingIfAbsent("mode", value: "opt-in") } == "opt-in")
        #expect(try db.open().write { try $0.recordSettingIfAbsent("mode", value: "opt-out") } == "opt-in", "the first value stays")
        #expect(try store.read { try $0.setting("mode") } == "opt-in")
    }

    @Test("data-subject requests: ids, updates, the newest model-changing request", arguments: StoreBackend.available)
    func subjectRequests(_ backend: StoreBackend) throws {
        let db = try TestStore(backend)
        let store = try db.open()
        let reference = Array(repeating: UInt8(5), count: 32)
        let first = try store.write {
            try $0.insertSubjectRequest(SubjectRequest(kind: .access, reference: reference, actor: "t", receivedAt: 1, dueAt: 9, status: .received))
        }
        let second = try store.write {
            try $0.insertSubjectRequest(SubjectRequest(kind: .erasure, reference: reference, actor: "t", receivedAt: 2, dueAt: 9, status: .received))
        }
        #expect(second > first)
        #expect(try store.read { try $0.latestModelChangingRequest() } == 0)
        try store.write { try $0.updateSubjectRequest(id: second, status: .completed, verifiedAt: 3, completedAt: 4, detail: "done") }
        #expect(try store.read { try $0.latestModelChangingRequest() } == second)
        let requests = try store.read { try $0.subjectRequests(reference: reference) }
        #expect(requests.map(\.status) == [.received, .completed])
        #expect(requests[1].verifiedAt == 3 && requests[1].completedAt == 4 && requests[1].detail == "done")
        #expect(try store.read { try $0.subjectRequests(reference: Array(repeating: 6, count: 32)) }.isEmpty)
    }

    @Test("an erasure under way holds its person until it is completed or refused", arguments: StoreBackend.available)
    func erasureUnderWay(_ backend: StoreBackend) throws {
        let db = try TestStore(backend)
        let store = try db.open()
        let reference = Array(repeating: UInt8(7), count: 32)
        let (eve, fay) = (Pseudonym(bytes: Array(repeating: 1, count: 32)), Pseudonym(bytes: Array(repeating: 2, count: 32)))
        var ids: [Int64] = []
        for (at, person) in [(Int64(10), eve), (20, fay)] {
            ids.append(
                try store.write { w in
                    let id = try w.insertSubjectRequest(
                        SubjectRequest(kind: .erasure, reference: reference, actor: "key-\(at)", receivedAt: at, dueAt: 99, status: .verified))
                    try w.markErasureUnderWay(id: id, subject: person)
                    return id
                })
        }
        #expect(
            try store.read { try $0.interruptedErasures() }
                == [
                    InterruptedErasure(id: ids[0], subject: eve, actor: "key-10", receivedAt: 10),
                    InterruptedErasure(id: ids[1], subject: fay, actor: "key-20", receivedAt: 20)
                ])
        try store.write { try $0.updateSubjectRequest(id: ids[0], status: .completed, verifiedAt: nil, completedAt: 30, detail: "done") }
        try store.write { try $0.updateSubjectRequest(id: ids[1], status: .refused, verifiedAt: nil, completedAt: 31, detail: "failed") }
        #expect(try store.read { try $0.interruptedErasures() }.isEmpty, "completing or refusing a request clears its person")
        #expect(try store.read { try $0.subjectRequests(reference: reference) }.map(\.status) == [.completed, .refused])
    }
}

/// What only PostgreSQL has: the address, the distributed layout, the key vault, and the server itself.
@Suite struct PostgresStoreTests {
    @Test(
        "the PostgreSQL server for the conformance runs answers (skipped, saying why, when none is configured)",
        .disabled(if: StoreBackend.postgresURL == nil, Comment(rawValue: StoreBackend.postgresSkipReason)))
    func serverAnswers() throws {
        let db = try TestStore(.postgres)
        let store = try db.open()
        #expect(try store.read { try $0.statistics() } == StoreStatistics())
    }

    @Test("on CI the PostgreSQL half always runs: .ci/run starts a server and sets TACT_TEST_POSTGRES_URL")
    func ciRunsPostgres() {
        if ProcessInfo.processInfo.environment["CI"] == "true" {
            #expect(StoreBackend.postgresURL != nil, "CI must start PostgreSQL (.ci/postgres.sh) and export TACT_TEST_POSTGRES_URL")
        }
    }

    @Test func addressesAreParsedAndNeverShowThePassword() throws {
        let url = try PostgresURL("postgres://app:s%40cret@db.internal:6432/tact?sslmode=require&pool=20&timeout=2.5")
        #expect(url.host == "db.internal" && url.port == 6432 && url.username == "app" && url.password == "s@cret")
        #expect(url.database == "tact" && url.sslMode == "require" && url.poolSize == 20 && url.timeoutSeconds == 2.5)
        #expect(url.description == "postgres://app:***@db.internal:6432/tact?sslmode=require&pool=20&timeout=2.5")
        #expect(try PostgresURL(url.description(revealingPassword: true)).password == "s@cret")
        #expect(try PostgresURL(url.description(revealingPassword: true)).timeoutSeconds == 2.5, "another process gets the same deadline")
        #expect(try PostgresURL("postgres://h/d").timeoutSeconds == PostgresURL.defaultTimeoutSeconds)
        #expect(try PostgresURL("postgresql://h/d").port == 5432)
        for bad in [
            "postgres://h", "postgres:///d", "postgres://h/d?pool=0", "postgres://h/d?sslmode=maybe", "postgres://h/d?colour=red", "postgres://h/d?timeout=0",
            "postgres://h/d?timeout=soon", "mysql://h/d"
        ] {
            #expect(throws: StoreError.self, "\(bad)") { try PostgresURL(bad) }
        }
        #expect(PostgresURL.isPostgres("postgres://x/y") && !PostgresURL.isPostgres("/data/tact.sqlite"))
    }

    @Test func scriptsSplitOnlyBetweenStatements() {
        let script = "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'a; b'; END $$;\nSELECT 'x;y';  ;SELECT 2"
        #expect(
            SQLScript.statements(script) == [
                "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'a; b'; END $$", "SELECT 'x;y'", "SELECT 2"
            ])
    }

    @Test("a person's row number comes from their pseudonym, spreading people evenly over the partitions")
    func subjectIDsSpreadEvenly() {
        var counts = Array(repeating: 0, count: 8)
        for n in 0..<8_000 {
            let bytes = (0..<32).map { UInt8(truncatingIfNeeded: (n &* 2_654_435_761) >> ($0 % 4 * 8) ^ $0 &* 97) }
            let id = PostgresSubjectID.of(Pseudonym(bytes: bytes))
            #expect(id >= 0)
            counts[Int(id % 8)] += 1
        }
        #expect(counts.allSatisfy { (800...1200).contains($0) }, "\(counts)")
    }

    @Test(
        "the layout suits distributed PostgreSQL: no foreign keys, people's tables hash-partitioned by subject_id, which every key includes",
        .disabled(if: StoreBackend.postgresURL == nil, Comment(rawValue: StoreBackend.postgresSkipReason)))
    func distributedLayout() throws {
        let db = try TestStore(.postgres)
        _ = try db.open()
        let rows = try PostgresStore.rawRows(
            """
            SELECT (SELECT COUNT(*) FROM information_schema.table_constraints WHERE constraint_type = 'FOREIGN KEY' AND table_schema = 'public'),
                   (SELECT string_agg(c.relname || ':' || pg_get_partkeydef(c.oid), ',' ORDER BY c.relname) FROM pg_class c WHERE c.relkind = 'p'),
                   (SELECT COUNT(*) FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'interactions')
            """, address: db.address)
        #expect(rows.first?[0] == "0")
        #expect(rows.first?[1] == "consent_ledger:HASH (subject_id),interactions:HASH (subject_id),subjects:HASH (id)")
        #expect(rows.first?[2] == "\(PostgresSchema.partitions)")
        // A person's reads touch one partition: the plan for their history prunes the others.
        let plan = try PostgresStore.rawRows("EXPLAIN SELECT item_id, kind, value FROM interactions WHERE subject_id = 12345", address: db.address)
            .map { $0[0] ?? "" }.joined(separator: "\n")
        let partitions = Set(plan.matches(of: /interactions_p\d+/).map { String($0.output) })
        #expect(partitions.count == 1, "\(plan)")
    }

    @Test(
        "a database written by a newer Tact is refused with what to do",
        .disabled(if: StoreBackend.postgresURL == nil, Comment(rawValue: StoreBackend.postgresSkipReason)))
    func newerSchemaIsRefused() throws {
        let db = try TestStore(.postgres)
        _ = try db.open()
        try db.rawExecute("INSERT INTO tact_migrations (id, applied_at) VALUES ('pg-v99-future', 0)")
        #expect { try db.open() } throws: { error in
            guard case StoreError.newerSchema(_, let found) = error else { return false }
            return found == "pg-v99-future"
        }
    }

    @Test(
        "the PostgreSQL key vault stores once, keeps the first writer's key, and shreds",
        .disabled(if: StoreBackend.postgresURL == nil, Comment(rawValue: StoreBackend.postgresSkipReason)))
    func keyVault() throws {
        let db = try TestStore(.postgres)
        let vault = try PostgresKeyVault(url: PostgresURL(db.address))
        let p = Pseudonym(bytes: Array(repeating: 1, count: 32)), q = Pseudonym(bytes: Array(repeating: 2, count: 32))
        #expect(try vault.insertIfAbsent([p: [1, 1], q: [2, 2]]) == [p: [1, 1], q: [2, 2]])
        #expect(try vault.insertIfAbsent([p: [9, 9]]) == [p: [1, 1]], "the key stored first stays")
        #expect(try vault.wrappedKeys(for: [p, q]) == [p: [1, 1], q: [2, 2]])
        #expect(try vault.shred(p))
        #expect(try vault.shred(p) == false)
        #expect(try vault.wrappedKeys(for: [p, q]) == [q: [2, 2]])
        #expect(try vault.count() == 1)
        #expect(try vault.subjects() == [q], "a restore maps links back through every key held")
    }

    @Test("an unreachable server gives a clear error naming the address without its password")
    func unreachableServer() throws {
        #expect { try PostgresStore(address: "postgres://u:pw@127.0.0.1:1/none") } throws: { error in
            let text = "\(error)"
            return text.contains("127.0.0.1:1/none") && !text.contains("pw@") && text.contains("cannot be reached")
        }
    }
}
