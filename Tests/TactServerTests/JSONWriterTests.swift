import Foundation
import Testing

@testable import TactServer

@Suite struct JSONWriterTests {
    @Test("written JSON parses back to the same values, whatever the strings hold")
    func roundTrip() throws {
        let strings = ["plain", "quote \" and \\ backslash", "line\nbreak\ttab\rreturn", "\u{0}\u{1}\u{1f}", "é漢字🙂", "", "</script>"]
        var json = JSONWriter()
        json.beginObject()
        json.key("strings"); json.beginArray(); for s in strings { json.string(s) }; json.endArray()
        json.key("float"); json.number(Float(0.125))
        json.key("tiny"); json.number(Float(1e-7))
        json.key("nan"); json.number(Float.nan)
        json.key("int"); json.number(-42)
        json.key("long"); json.number(Int64(1_795_935_098))
        json.key("yes"); json.bool(true)
        json.key("empty"); json.beginObject(); json.endObject()
        json.key("nothing"); json.null()
        json.endObject()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.bytes)) as? [String: Any])
        #expect(object["strings"] as? [String] == strings)
        #expect(object["float"] as? Double == 0.125)
        #expect(abs((object["tiny"] as? Double ?? 0) - 1e-7) < 1e-12)
        #expect(object["nan"] is NSNull)
        #expect(object["int"] as? Int == -42)
        #expect(object["long"] as? Int == 1_795_935_098)
        #expect(object["yes"] as? Bool == true)
        #expect((object["empty"] as? [String: Any])?.isEmpty == true)
        #expect(object["nothing"] is NSNull)
    }
}
