import TactTestSupport
import Testing

@testable import TactCore

@Suite struct DelimitedRecordReaderTests {
    func readAll(_ path: String, delimiter: UInt8? = UInt8(ascii: ","), quoting: Bool = true, chunk: Int = 1 << 20) throws -> [(Int, [String])] {
        let r = try DelimitedRecordReader(path: path, delimiter: delimiter, quoting: quoting, chunkSize: chunk)
        var out: [(Int, [String])] = []
        while let f = try r.next() { out.append((r.recordLine, f)) }
        return out
    }

    @Test func quotedFieldsHoldDelimitersQuotesAndLineBreaks() throws {
        let dir = TemporaryDirectory()
        let path = dir.write("a.csv", "a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\n\nlast,,end")
        let records = try readAll(path)
        #expect(records.map(\.1) == [["a", "b", "c"], ["x, y", "say \"hi\"", "two\nlines"], ["last", "", "end"]])
        #expect(records.map(\.0) == [1, 2, 5])
    }

    @Test func chunkBoundariesDoNotChangeTheRecords() throws {
        let dir = TemporaryDirectory()
        var text = "user,item,value\n"
        for i in 0..<300 { text += "u\(i),\"item, \(i)\",\(i % 7)\r\n" }
        let path = dir.write("b.csv", text)
        let whole = try readAll(path)
        for chunk in [1, 2, 3, 7, 64] {
            let small = try readAll(path, chunk: chunk)
            #expect(small.map(\.1) == whole.map(\.1), "chunk size \(chunk)")
            #expect(small.map(\.0) == whole.map(\.0), "chunk size \(chunk)")
        }
        #expect(whole.count == 301)
    }

    @Test func unclosedQuoteIsAnErrorNamingTheLine() throws {
        let dir = TemporaryDirectory()
        let path = dir.write("c.csv", "a,b\n1,\"open\n")
        #expect(throws: InputError.self) { try readAll(path) }
        do { _ = try readAll(path) } catch let e as InputError {
            #expect(e.line == 2)
            #expect(e.message.contains("closing double quote"))
        }
    }

    @Test func invalidUTF8IsAnErrorNamingLineAndField() throws {
        let dir = TemporaryDirectory()
        let path = dir.write("d.csv", bytes: Array("x,y\nok,fine\nbad,".utf8) + [0xC3, 0x28] + Array("\n".utf8))
        let r = try DelimitedRecordReader(path: path, delimiter: UInt8(ascii: ","), quoting: true)
        r.columnNames = ["x", "y"]
        _ = try r.next(); _ = try r.next()
        do {
            _ = try r.next()
            Issue.record("expected an error")
        } catch let e as InputError {
            #expect(e.line == 3)
            #expect(e.field == "y")
        }
    }

    @Test func latin1IsDecoded() throws {
        let dir = TemporaryDirectory()
        let path = dir.write("e.txt", bytes: Array("1|Caf".utf8) + [0xE9] + Array("|x\n".utf8))
        let r = try DelimitedRecordReader(path: path, delimiter: UInt8(ascii: "|"), quoting: false, encoding: .latin1)
        #expect(try r.next() == ["1", "Café", "x"])
    }

    @Test func jsonLinesModeKeepsCommasInsideTheLine() throws {
        let dir = TemporaryDirectory()
        let path = dir.write("f.jsonl", "{\"a\":1,\"b\":2}\n{\"a\":3}")
        #expect(try readAll(path, delimiter: nil, quoting: false).map(\.1) == [["{\"a\":1,\"b\":2}"], ["{\"a\":3}"]])
    }
}
