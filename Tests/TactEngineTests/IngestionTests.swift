import Foundation
import TactCore
import TactStore
import TactTestSupport
import Testing

@testable import TactEngine

/// An engine over a fresh data directory.
func makeEngine(_ tmp: TemporaryDirectory, mode: ConsentMode) throws -> Engine {
    let dir = DataDirectory(path: tmp.file("data-\(mode.rawValue)"), environment: [:])
    try dir.initialize(mode: mode)
    return try dir.open()
}

func event(_ user: String, _ item: String, t: Int64 = 1_700_000_000, purpose: Purpose? = nil, gpc: Bool = false) -> IncomingInteraction {
    IncomingInteraction(user: user, item: item, kind: .play, timestamp: t, purpose: purpose, globalPrivacyControl: gpc)
}

@Suite struct IngestionTests {
    let tmp = TemporaryDirectory()

    @Test func rawIdsNeverReachTheDatabase() throws {
        let engine = try makeEngine(tmp, mode: .optIn)
        let rawIDs = ["alice.rawid@example.org", "bob-RAW-ID-4471", "carol.rawid.7"]
        for id in rawIDs { try ConsentService(engine: engine).record(user: id, purposes: [.personalization], decision: .grant) }
        let events = rawIDs.flatMap { id in (0..<20).map { event(id, "item\($0)", t: 1_700_000_000 + Int64($0)) } }
        let report = try Ingestor(engine: engine).ingest(events, options: IngestOptions(grants: [.modelTraining]))
        #expect(report.stored == 60)
        let path = engine.directory.databasePath
        // Look in the database file and its write-ahead log, before and after a checkpoint.
        for id in rawIDs {
            #expect(!fileContains(path, id))
            #expect(!fileContains(path + "-wal", id))
        }
        try (engine.store as! SQLiteStore).checkpoint()
        for id in rawIDs { #expect(!fileContains(path, id)) }
        // The pseudonym is what the store holds.
        let p = engine.pseudonymizer.pseudonym(for: rawIDs[0])
        #expect(try engine.store.read { try $0.subjectRow(for: p) } != nil)
        #expect(fileContains(path, "item7"), "the check must be able to find text that is stored")
    }

    @Test func optInStoresOnlyGrantedPeopleAndCountsTheRest() throws {
        let engine = try makeEngine(tmp, mode: .optIn)
        try ConsentService(engine: engine).record(user: "yes", purposes: [.personalization], decision: .grant)
        try ConsentService(engine: engine).record(user: "no", purposes: [.personalization], decision: .deny)
        let report = try Ingestor(engine: engine).ingest(
            [event("yes", "a"), event("yes", "b"), event("no", "a"), event("unknown", "a"), event("yes", "c", purpose: .analytics)],
            options: IngestOptions())
        #expect(report.read == 5 && report.stored == 2)
        #expect(report.refused == [.personalization: 2, .analytics: 1])
        let stats = try engine.statistics()
        #expect(stats.interactions == 2)
        #expect(stats.refusals == [.personalization: 2, .analytics: 1])
        // A person who was refused and never consented leaves no trace, not even a pseudonym.
        #expect(stats.subjects == 2)
        #expect(try engine.store.read { try $0.subjectRow(for: engine.pseudonymizer.pseudonym(for: "unknown")) } == nil)
    }

    @Test func optOutStoresUntilRefusedAndHonoursGlobalPrivacyControl() throws {
        let engine = try makeEngine(tmp, mode: .optOut)
        try ConsentService(engine: engine).record(user: "refuser", purposes: [.personalization], decision: .deny)
        let report = try Ingestor(engine: engine).ingest(
            [
                event("anyone", "a"),
                event("refuser", "a"),
                event("gpc", "a", gpc: true),  // personalization: still collected
                event("gpc", "ad1", purpose: .advertising),  // refused: the signal was seen
                event("gpc2", "ad2", purpose: .advertising, gpc: true),
                event("anyone", "ad3", purpose: .advertising)  // no signal, no refusal: collected
            ], options: IngestOptions())
        #expect(report.stored == 3)
        #expect(report.refused == [.personalization: 1, .advertising: 2])
        #expect(report.consentRecords == 4)
        let ledger = try ConsentService(engine: engine).history(user: "gpc")
        #expect(Set(ledger.map(\.purpose)) == [.advertising, .saleOrSharing])
        #expect(ledger.allSatisfy { $0.decision == .deny && $0.source == .globalPrivacyControl })
        // The signal on later requests writes nothing more.
        let again = try Ingestor(engine: engine).ingest([event("gpc", "b", gpc: true)], options: IngestOptions())
        #expect(again.consentRecords == 0 && again.stored == 1)
    }

    @Test func bulkGrantsAreMarkedInTheLedgerAndNeverOverrideARefusal() throws {
        let engine = try makeEngine(tmp, mode: .optIn)
        try ConsentService(engine: engine).record(user: "said-no", purposes: [.personalization], decision: .deny)
        let options = IngestOptions(grants: [.personalization, .modelTraining], grantNote: "collected by the old app, 2024")
        let report = try Ingestor(engine: engine).ingest([event("h1", "a"), event("h1", "b"), event("said-no", "a")], options: options)
        #expect(report.stored == 2 && report.refused == [.personalization: 1])
        #expect(report.earlierRefusalsKept == 1)
        let h1 = try ConsentService(engine: engine).history(user: "h1")
        #expect(h1.count == 2)
        #expect(h1.allSatisfy { $0.source == .bulkImport && $0.note == "collected by the old app, 2024" && $0.policyVersion == engine.policy.version })
        let saidNo = try ConsentService(engine: engine).history(user: "said-no")
        #expect(saidNo.filter { $0.purpose == .personalization }.map(\.decision) == [.deny])
    }

    @Test func aBadRecordRejectsTheWholeFileAndWritesNothing() throws {
        let engine = try makeEngine(tmp, mode: .optIn)
        var text = "user,item,value,timestamp\n"
        for i in 0..<500 { text += "u\(i),i\(i % 10),1,\(1_700_000_000 + i)\n" }
        text += "u9,i1,1,not-a-time\n"
        let path = tmp.write("bad.csv", text)
        let before = try engine.statistics()
        #expect {
            try Ingestor(engine: engine).ingest(try InteractionFileFormat.csv.open(path: path), options: IngestOptions(grants: [.personalization]))
        } throws: { error in
            guard let e = error as? InputError else { return false }
            return e.line == 502 && e.field == "timestamp" && e.file == path
        }
        #expect(try engine.statistics() == before)
    }

    @Test func everyFormatIngests() throws {
        let engine = try makeEngine(tmp, mode: .optIn)
        let csv = tmp.write("e.csv", "user,item,value,timestamp,kind\nu1,i1,1,2024-01-01,play\n")
        let tsv = tmp.write("e.tsv", "user\titem\tvalue\ttimestamp\nu2\ti2\t1\t1700000000\n")
        let jsonl = tmp.write("e.jsonl", "{\"user\":\"u3\",\"item\":\"i3\",\"timestamp\":1700000000}\n")
        tmp.write("ml/u.data", "7\t50\t5\t881250949\n")
        tmp.write("ml/u.item", "50|Star Wars (1977)|01-Jan-1977||http://x|0|1\n")
        tmp.write("ml/u.genre", "unknown|0\nAction|1\n")
        let options = IngestOptions(grants: [.personalization])
        var stored = 0
        for path in [csv, tsv, jsonl] {
            stored += try Ingestor(engine: engine).ingest(try InteractionFileFormat.detect(path: path).open(path: path), options: options).stored
        }
        let ml = tmp.file("ml")
        let report = try Ingestor(engine: engine).ingest(
            try InteractionFileFormat.movielens.open(path: ml), catalog: try ItemFileFormat.movielens.open(path: ml), options: options)
        #expect(stored == 3 && report.stored == 1 && report.catalogItems == 1 && report.newItems == 0)
        let item = try engine.store.read { try $0.item(for: "50") }
        #expect(item?.title == "Star Wars (1977)" && item?.tags == ["Action"])
    }

    @Test func catalogImportUpdatesItems() throws {
        let engine = try makeEngine(tmp, mode: .optIn)
        let path = tmp.write("items.csv", "id,title,tags\ni1,One,a|b\ni2,Two,\n")
        let result = try CatalogImporter(engine: engine).importItems(try ItemFileFormat.csv.open(path: path), source: "items.csv")
        #expect(result.count == 2)
        #expect(try engine.store.read { try $0.item(for: "i1") } == Item(id: "i1", title: "One", tags: ["a", "b"]))
    }
}
