import TactTestSupport
import Testing

@testable import TactCore

@Suite struct InteractionReaderTests {
    func readAll(_ path: String, _ format: InteractionFileFormat? = nil) throws -> [IncomingInteraction] {
        let reader = try (format ?? InteractionFileFormat.detect(path: path)).open(path: path)
        var out: [IncomingInteraction] = []
        while let e = try reader.next() { out.append(e) }
        return out
    }

    /// The error reading `text` as a CSV file, which must exist.
    func csvError(_ text: String, ext: String = "csv") -> InputError? {
        let dir = TemporaryDirectory()
        let path = dir.write("in.\(ext)", text)
        do { _ = try readAll(path); return nil } catch let e as InputError { return e } catch { return nil }
    }

    @Test func csvWithOptionalColumns() throws {
        let dir = TemporaryDirectory()
        let path = dir.write(
            "e.csv",
            """
            user,item,value,timestamp,kind,context,purpose,gpc
            alice,i1,1,1700000000,play,"on the train, again",,0
            bob,i2,,2024-03-01T12:30:00Z,like,,advertising,1
            carol,i3,4.5,1700000100,rating,,,
            """)
        let events = try readAll(path)
        #expect(events.count == 3)
        #expect(events[0] == IncomingInteraction(user: "alice", item: "i1", kind: .play, value: 1, timestamp: 1_700_000_000, context: "on the train, again"))
        #expect(events[1].value == 1 && events[1].purpose == .advertising && events[1].globalPrivacyControl)
        #expect(events[2].kind == .rating && events[2].value == 4.5)
    }

    @Test func tsvAndDefaultKind() throws {
        let dir = TemporaryDirectory()
        let path = dir.write("e.tsv", "user\titem\tvalue\ttimestamp\nu1\tx\t3\t10\n")
        let reader = try InteractionFileFormat.tsv.open(path: path, defaultKind: .purchase)
        let e = try #require(try reader.next())
        #expect(e.kind == .purchase && e.value == 3 && e.timestamp == 10)
        #expect(try reader.next() == nil)
    }

    @Test("a control character in an id is refused with its line, in interactions and in catalogs")
    func controlCharactersInIdsAreRefused() throws {
        let e = try #require(csvError("user,item,value,timestamp\nu1,i1,1,10\nu2\u{0},i1,1,10\n"))
        #expect(e.line == 3 && e.field == "user" && e.message.contains("control character"), "\(e)")
        let tab = try #require(csvError("user,item,value,timestamp\nu1,i\u{1F}x,1,10\n"))
        #expect(tab.field == "item", "\(tab)")
        let dir = TemporaryDirectory()
        let catalog = dir.write("items.csv", "id,title,tags\nr1,One,a\nr2\u{0}evil,Two,b\n")
        #expect(throws: InputError.self) {
            let reader = try ItemFileFormat.csv.open(path: catalog)
            while try reader.next() != nil {}
        }
        let tags = dir.write("items.jsonl", #"{"id":"r1","tags":["a\u001Fb"]}"# + "\n")
        #expect(throws: InputError.self) {
            let reader = try ItemFileFormat.jsonl.open(path: tags)
            while try reader.next() != nil {}
        }
    }

    @Test func wrongColumnCountNamesTheLine() throws {
        let e = try #require(csvError("user,item,value,timestamp\nu1,i1,1,10\nu2,i2,1\n"))
        #expect(e.line == 3)
        #expect(e.message.contains("expected 4 fields"))
    }

    @Test func nonNumericValueNamesTheField() throws {
        let e = try #require(csvError("user,item,value,timestamp\nu1,i1,lots,10\n"))
        #expect(e.line == 2 && e.field == "value")
    }

    @Test func badTimestampNamesTheField() throws {
        let e = try #require(csvError("user,item,value,timestamp\nu1,i1,1,10\nu1,i2,1,2024-02-30\n"))
        #expect(e.line == 3 && e.field == "timestamp")
    }

    @Test func unknownKindListsTheKinds() throws {
        let e = try #require(csvError("user,item,value,timestamp,kind\nu1,i1,1,10,binge\n"))
        #expect(e.field == "kind")
        #expect(e.message.contains("purchase"))
    }

    @Test func invalidUTF8NamesLineAndField() throws {
        let dir = TemporaryDirectory()
        let path = dir.write("bad.csv", bytes: Array("user,item,value,timestamp\nu1,i1,1,10\nu".utf8) + [0xFF] + Array(",i2,1,10\n".utf8))
        do { _ = try readAll(path); Issue.record("expected an error") } catch let e as InputError {
            #expect(e.line == 3 && e.field == "user")
            #expect(e.message.contains("UTF-8"))
        }
    }

    @Test func headerProblemsAreNamed() throws {
        #expect(try #require(csvError("user,item,timestamp\nu1,i1,10\n")).field == "value")
        #expect(try #require(csvError("user,item,value,timestamp,colour\n")).field == "colour")
        #expect(try #require(csvError("")).message.contains("header"))
        #expect(try #require(csvError("user,item,value,timestamp\n,i1,1,10\n")).field == "user")
    }

    @Test func jsonLines() throws {
        let dir = TemporaryDirectory()
        let path = dir.write(
            "e.jsonl",
            """
            {"user": "alice", "item": 17, "value": 2, "timestamp": "2024-03-01", "kind": "purchase"}
            {"user": 42, "item": "i9", "timestamp": 1700000000, "gpc": true, "context": "gift"}
            """)
        let events = try readAll(path)
        #expect(events.count == 2)
        #expect(events[0].item == "17" && events[0].kind == .purchase && events[0].value == 2)
        #expect(events[1].user == "42" && events[1].globalPrivacyControl && events[1].context == "gift" && events[1].kind == .view)
    }

    @Test func malformedJSONLinesAreNamed() throws {
        func error(_ text: String) -> InputError? {
            let dir = TemporaryDirectory()
            let path = dir.write("e.jsonl", text)
            do { _ = try readAll(path); return nil } catch let e as InputError { return e } catch { return nil }
        }
        let ok = "{\"user\":\"a\",\"item\":\"b\",\"timestamp\":1}\n"
        #expect(try #require(error(ok + "{not json\n")).line == 2)
        #expect(try #require(error(ok + "[1,2]\n")).message.contains("JSON object"))
        #expect(try #require(error(ok + "{\"user\":\"a\",\"item\":\"b\",\"timestamp\":1,\"value\":\"x\"}\n")).field == "value")
        #expect(try #require(error(ok + "{\"user\":\"a\",\"item\":\"b\",\"timestamp\":1,\"when\":2}\n")).field == "when")
        #expect(try #require(error(ok + "{\"user\":\"a\",\"item\":\"b\",\"timestamp\":1,\"kind\":\"nap\"}\n")).field == "kind")
        #expect(try #require(error(ok + "{\"user\":\"a\",\"item\":\"b\"}\n")).field == "timestamp")
        #expect(try #require(error(ok + "{\"user\":[1],\"item\":\"b\",\"timestamp\":1}\n")).field == "user")
    }

    @Test func movieLensDirectory() throws {
        let dir = TemporaryDirectory()
        dir.write("ml/u.data", "196\t242\t3\t881250949\n186\t302\t3\t891717742\n")
        dir.write("ml/u.genre", "unknown|0\nAction|1\nComedy|2\n\n")
        dir.write(
            "ml/u.item",
            bytes: Array("242|Kolya (1996)|24-Jan-1997||http://x|0|0|1\n302|L.A. Confidential (1997)|01-Jan-1997||http://y|0|1|0\n1|Caf".utf8) + [0xE9]
                + Array(" (1995)|||x|1|0|0\n".utf8))
        let path = dir.file("ml")
        #expect(try InteractionFileFormat.detect(path: path) == .movielens)
        let events = try readAll(path)
        #expect(events.map(\.user) == ["196", "186"])
        #expect(events[0].kind == .rating && events[0].value == 3 && events[0].timestamp == 881_250_949)
        let items = try ItemFileFormat.detect(path: path).open(path: path)
        let kolya = try #require(try items.next())
        #expect(kolya.title == "Kolya (1996)" && kolya.tags == ["Comedy"] && kolya.createdAt == 854_064_000)
        _ = try items.next()
        let cafe = try #require(try items.next())
        #expect(cafe.title == "Café (1995)" && cafe.createdAt == nil && cafe.tags == ["unknown"])
    }

    @Test func movieLensRatingsWithWrongFieldCount() throws {
        let dir = TemporaryDirectory()
        dir.write("ml/u.data", "196\t242\t3\t881250949\n186\t302\t3\n")
        do { _ = try readAll(dir.file("ml")); Issue.record("expected an error") } catch let e as InputError {
            #expect(e.line == 2)
        }
    }

    @Test func formatDetection() throws {
        let dir = TemporaryDirectory()
        #expect(try InteractionFileFormat.detect(path: dir.write("a.data", "{\"user\":1}\n")) == .jsonl)
        #expect(try InteractionFileFormat.detect(path: dir.write("b.data", "user\titem\n")) == .tsv)
        #expect(try InteractionFileFormat.detect(path: dir.write("c.data", "user,item\n")) == .csv)
        #expect(throws: InputError.self) { try InteractionFileFormat.detect(path: dir.file("missing.csv")).open(path: dir.file("missing.csv")) }
    }
}
