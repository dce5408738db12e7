import Foundation
import TactCore
import TactStore
import TactTestSupport
import Testing

@testable import TactEngine

/// A file is read on a thread of its own, batches ahead of the store: the same outcome as reading it
/// in line, all or nothing.
@Suite struct IngestionPipelineTests {
    let tmp = TemporaryDirectory()

    /// Events over many batches: people and items first seen in one batch and seen again in later ones,
    /// free text first met in a later batch, other purposes, and a Global Privacy Control signal.
    func text(events: Int) -> String {
        var text = "user,item,value,timestamp,kind,context,purpose,gpc\n"
        for i in 0..<events {
            let context = i % 997 == 0 ? "note \(i)" : ""
            let purpose = i % 501 == 0 ? "analytics" : ""
            let gpc = i % 1_009 == 0 ? "1" : ""
            text += "u\((i * 7) % 1_500),i\((i * 13) % 400),\(i % 5 + 1),\(1_700_000_000 + i),rating,\(context),\(purpose),\(gpc)\n"
        }
        return text
    }

    @Test func aFileStoresWhatTheSameEventsInMemoryStore() throws {
        let path = tmp.write("many.csv", text(events: 3 * Ingestor.lookupChunk + 123))
        var events: [IncomingInteraction] = []
        let reader = try InteractionFileFormat.csv.open(path: path)
        while let e = try reader.next() { events.append(e) }
        let options = IngestOptions(grants: [.personalization], grantNote: "test")

        func engine(_ name: String) throws -> Engine {
            let dir = DataDirectory(path: tmp.file(name), environment: [:])
            try dir.initialize(mode: .optIn)
            return try dir.open()
        }
        let fromFile = try engine("from-file")
        var fileReport = try Ingestor(engine: fromFile).ingest(try InteractionFileFormat.csv.open(path: path), options: options)
        let inMemory = try engine("in-memory")
        var memoryReport = try Ingestor(engine: inMemory).ingest(events, options: options)
        fileReport.seconds = 0
        memoryReport.seconds = 0
        #expect(fileReport == memoryReport)
        #expect(fileReport.read == events.count && fileReport.newSubjects == 1_500 && fileReport.newItems == 400 && fileReport.subjectsStored == 1_500)
        #expect(fileReport.refused[.analytics, default: 0] > 0 && fileReport.consentRecords > 1_500)

        func stored(_ engine: Engine) throws -> [String] {
            var rows: [String] = []
            try engine.store.read { r in
                try r.forEachInteraction { i in
                    let text = i.sealedContext == nil ? "-" : "sealed"
                    rows.append("\(i.subject) \(try r.itemID(of: i.item) ?? "?") \(i.kind) \(i.value) \(i.timestamp) \(text)")
                }
            }
            return rows
        }
        let fileRows = try stored(fromFile)
        #expect(fileRows.count == fileReport.stored)
        #expect(fileRows == (try stored(inMemory)))
        #expect(fileRows.filter { $0.hasSuffix("sealed") }.count == events.filter { $0.context != nil && $0.purpose == nil }.count)
        #expect(try fromFile.statistics() == (try inMemory.statistics()))
        // One audit entry per person, and one for the import.
        #expect(try fromFile.store.read { try $0.recentAuditEntries(limit: 10_000) }.filter { $0.action == "ingest.person" }.count == 1_500)
    }

    @Test func aBadRecordBatchesAheadRejectsTheWholeFile() throws {
        let engine = try makeEngine(tmp, mode: .optIn)
        var text = "user,item,value,timestamp\n"
        for i in 0..<(5 * Ingestor.lookupChunk) { text += "u\(i % 300),i\(i % 50),1,\(1_700_000_000 + i)\n" }
        text += "u9,i1,1,not-a-time\n"
        for i in 0..<100 { text += "u\(i),i\(i),1,\(1_700_000_000 + i)\n" }
        let path = tmp.write("late-bad.csv", text)
        let before = try engine.statistics()
        #expect {
            try Ingestor(engine: engine).ingest(try InteractionFileFormat.csv.open(path: path), options: IngestOptions(grants: [.personalization]))
        } throws: { error in
            guard let e = error as? InputError else { return false }
            return e.line == 5 * Ingestor.lookupChunk + 2 && e.field == "timestamp"
        }
        #expect(try engine.statistics() == before)
    }

    /// Reads without end, counting the records it gave.
    final class EndlessReader: InteractionReader {
        var given = 0
        var currentLine: Int { given }
        func next() throws -> IncomingInteraction? {
            given += 1
            return IncomingInteraction(user: "u\(given % 100)", item: "i\(given % 10)", timestamp: 1_700_000_000)
        }
    }

    @Test func whenTheStoreStopsTheReadingThreadStopsToo() throws {
        let engine = try makeEngine(tmp, mode: .optIn)
        let reader = EndlessReader()
        let queue = IngestBatchQueue.start(capacity: 2, batcher: IngestBatcher(pseudonymizer: engine.pseudonymizer), reader: reader)
        let first = try queue.take()
        #expect(first?.events.count == Ingestor.lookupChunk && first?.newPeople.count == 100 && first?.newItems.count == 10)
        queue.stopAndWait()
        // Stopped: the reader is no longer read (at most the batch in hand when it stopped, and those waiting).
        let given = reader.given
        #expect(given <= 4 * Ingestor.lookupChunk)
        Thread.sleep(forTimeInterval: 0.05)
        #expect(reader.given == given)
    }
}
