import Testing

@testable import TactCore

@Suite struct JSONStringFieldTests {
    func value(_ field: String, _ line: String) throws -> String? {
        var copy = line
        return try copy.withUTF8 { b in try JSONStringField.value(of: field, in: b).map { String(decoding: $0, as: UTF8.self) } }
    }

    @Test("a top-level string field is decoded with every escape; nested values and other fields are skipped")
    func decoding() throws {
        #expect(
            try value("text", #"{"a": {"text": "inner"}, "b": [1, "x\"y"], "text": "caf\u00e9 \ud83d\ude00 \"q\" \\ \/ \n\t end"}"#)
                == "café 😀 \"q\" \\ / \n\t end")
        #expect(try value("text", #"{"te\u0078t": "escaped name"}"#) == "escaped name")
        #expect(try value("text", #"{"other": "x"}"#) == nil)
        #expect(try value("text", #"  {"text":"plain"}  "#) == "plain")
    }

    @Test("malformed lines are errors that say what is wrong")
    func errors() {
        #expect(throws: JSONStringField.Failure.self) { try value("text", "not json") }
        #expect(throws: JSONStringField.Failure.self) { try value("text", #"{"text": 5}"#) }
        #expect(throws: JSONStringField.Failure.self) { try value("text", #"{"text": "unclosed}"#) }
        #expect(throws: JSONStringField.Failure.self) { try value("text", #"{"text": "bad \q escape"}"#) }
    }
}
