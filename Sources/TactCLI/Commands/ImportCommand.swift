import ArgumentParser
import Foundation
import TactCore
import TactEngine

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Load interactions or catalog items from files.",
        subcommands: [ImportInteractionsCommand.self, ImportItemsCommand.self])
}

struct ImportInteractionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "interactions",
        abstract: "Load interaction events; only those the person consented to are stored.",
        discussion: """
            Formats (detected from the name and first line, or set with --format):
              csv, tsv   header: user,item,value,timestamp and optionally kind,context,purpose,gpc
              jsonl      one object per line: {"user":"u1","item":"i9","value":1,"timestamp":1700000000}
              movielens  a MovieLens 100K directory (u.data ratings, u.item catalog in Latin-1)
            Timestamps are seconds since 1970 or ISO 8601. User ids become pseudonyms before \
            anything is stored. The file is one transaction: a bad line rejects the whole file, \
            names the line and field, and nothing is written.

            Events whose purpose (personalization unless a 'purpose' column says otherwise) the \
            person has not consented to are counted as refused and not stored. For history whose \
            consent was collected elsewhere, --grant records that consent in the ledger, marked as \
            imported; a refusal the person made earlier still stands.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("The file (or MovieLens directory) to read.", valueName: "FILE"))
    var file: String

    @Option(help: "The file format: csv, tsv, jsonl or movielens (default: detected).")
    var format: InteractionFileFormat?

    @Option(help: "The kind of events with no 'kind' column: \(InteractionKind.names).")
    var kind: InteractionKind = .view

    @Option(help: ArgumentHelp("Record consent for these purposes for everyone in the file (comma-separated, or 'all').", valueName: "PURPOSES"))
    var grant: String?

    @Option(help: ArgumentHelp("Where the imported consent was collected, for the ledger.", valueName: "TEXT"))
    var grantNote: String?

    @Flag(help: "Leave out events older than the policy's retention period for events, which the next retention run would delete.")
    var skipExpired = false

    @Flag(help: "Print the result as one JSON line.")
    var json = false

    func run() throws {
        let grants = try grant.map(parsePurposes) ?? []
        let detected = try format ?? InteractionFileFormat.detect(path: file)
        let reader = try detected.open(path: file, defaultKind: kind)
        let catalog: (any ItemReader)? = detected == .movielens ? try ItemFileFormat.movielens.open(path: file) : nil
        let engine = try global.openEngine()
        let name = URL(fileURLWithPath: file).lastPathComponent
        var options = IngestOptions(grants: grants, grantNote: grantNote ?? "consent collected elsewhere; recorded by bulk import of \(name)", source: name)
        options.leavePastRetentionOut = skipExpired
        options.expectedRecords = estimatedRecords(detected == .movielens && FileManager.default.fileExists(atPath: file + "/u.data") ? file + "/u.data" : file)
        let started = Date()
        options.progress = { n in
            let rate = Double(n) / max(Date().timeIntervalSince(started), 1e-9)
            Terminal.progress("importing \(name): \(grouped(n)) records (\(grouped(Int(rate)))/s)")
        }
        let report: IngestReport
        do {
            report = try Ingestor(engine: engine).ingest(reader, catalog: catalog, options: options)
        } catch {
            Terminal.endProgress()
            throw RolledBack(underlying: error)
        }
        Terminal.endProgress()
        let peak = peakMemoryBytes()
        if json {
            var refused: [String: Int] = [:]
            for (p, n) in report.refused { refused[p.rawValue] = n }
            var scrubbed: [String: Int] = [:]
            for (t, n) in report.scrubbed { scrubbed[t.rawValue] = n }
            let object: [String: Any] = [
                "file": name, "format": detected.rawValue, "read": report.read, "stored": report.stored,
                "refused": refused, "new_subjects": report.newSubjects, "new_items": report.newItems,
                "catalog_items": report.catalogItems, "consent_records": report.consentRecords,
                "earlier_refusals_kept": report.earlierRefusalsKept, "seconds": report.seconds,
                "records_per_second": report.perSecond, "peak_memory_bytes": peak, "pii_scrubbed": scrubbed,
                "past_retention": report.pastRetention, "past_retention_left_out": skipExpired
            ]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        print("Imported \(name) (\(detected.rawValue)) into \(global.data)")
        var t = TextTable("", "count")
        t.add("records read", grouped(report.read))
        t.add("stored", grouped(report.stored))
        for p in report.refused.keys.sorted() { t.add("refused: no \(p.rawValue) consent", grouped(report.refused[p]!)) }
        t.add("new people (pseudonyms)", grouped(report.newSubjects))
        if report.catalogItems > 0 { t.add("catalog items", grouped(report.catalogItems)) }
        t.add("new items from events", grouped(report.newItems))
        t.add("consent records written", grouped(report.consentRecords))
        if report.earlierRefusalsKept > 0 { t.add("earlier refusals kept", grouped(report.earlierRefusalsKept)) }
        if report.pastRetention > 0 {
            t.add(skipExpired ? "left out: past the retention period" : "stored, but past the retention period", grouped(report.pastRetention))
        }
        for type in report.scrubbed.keys.sorted() { t.add("personal data scrubbed from text: \(type.rawValue)", grouped(report.scrubbed[type]!)) }
        print(t.render())
        print("  \(fixed(report.seconds, 2)) s, \(grouped(Int(report.perSecond))) records/s, peak memory \(peak / 1_048_576) MiB")
        if report.pastRetention > 0, !skipExpired, let expiry = RetentionJob.interactionsCutoff(engine.policy, now: Int64(Date().timeIntervalSince1970)) {
            let days = engine.policy.dataCategories.first { $0.name == "interactions" }?.retentionDays.map(PolicyDiff.retention) ?? "its period"
            Terminal.warning(
                "\(grouped(report.pastRetention)) of the events stored occurred before \(dateText(expiry)), more than \(days) ago (the policy's \"interactions\" period): the next retention run deletes them ('tact serve' runs it when it starts). A run that would delete more than half of all events deletes nothing and says so until confirmed. To keep them, lengthen the period ('tact policy'); to import without them, use --skip-expired."
            )
        }
        if report.stored == 0, report.refusedTotal > 0, engine.configuration.consentMode == .optIn {
            print(
                "Nothing was stored: in opt-in mode a person's events are kept only after they grant consent. Record consent with 'tact consent grant USER personalization', or, for history whose consent was collected elsewhere, import again with --grant personalization."
            )
        }
    }
}

/// About how many records a file holds: its size over a typical record's 32 bytes.
private func estimatedRecords(_ path: String) -> Int? {
    guard let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int else { return nil }
    return size / 32
}

struct ImportItemsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "items",
        abstract: "Load a catalog of items.",
        discussion: """
            Formats: csv or tsv with header id,title and optionally tags (separated by | or ;) and created; \
            jsonl with {"id":..., "title":..., "tags":[...], "created":...}; or a MovieLens 100K directory. \
            Existing items are updated. The file is one transaction.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("The catalog file (or MovieLens directory).", valueName: "FILE"))
    var file: String

    @Option(help: "The file format: csv, tsv, jsonl or movielens (default: detected).")
    var format: ItemFileFormat?

    func run() throws {
        let detected = try format ?? ItemFileFormat.detect(path: file)
        let reader = try detected.open(path: file)
        let engine = try global.openEngine()
        let name = URL(fileURLWithPath: file).lastPathComponent
        let result = try CatalogImporter(engine: engine).importItems(reader, source: name)
        print("Imported \(grouped(result.count)) items from \(name) in \(fixed(result.seconds, 2)) s")
    }
}
