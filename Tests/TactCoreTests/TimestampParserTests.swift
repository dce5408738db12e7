import Testing

@testable import TactCore

@Suite struct TimestampParserTests {
    func parse(_ s: String) -> Int64? { try? TimestampParser.parse(s).get() }

    @Test func secondsSince1970() {
        #expect(parse("1700000000") == 1_700_000_000)
        #expect(parse(" 1700000000.75 ") == 1_700_000_000)
        #expect(parse("0") == 0)
    }

    @Test func iso8601Forms() {
        #expect(parse("1970-01-01") == 0)
        #expect(parse("2024-03-01T12:30:00Z") == 1_709_296_200)
        #expect(parse("2024-03-01 12:30:00.250Z") == 1_709_296_200)
        #expect(parse("2024-03-01T14:30:00+02:00") == 1_709_296_200)
        #expect(parse("2024-03-01T07:30:00-0500") == 1_709_296_200)
        #expect(parse("2024-02-29") == 1_709_164_800)
    }

    @Test func invalidTimestampsSayWhy() throws {
        for bad in ["", "yesterday", "2023-02-29", "2024-13-01", "2024-03-01T25:00:00Z", "2024-03-01T12:30:00Zjunk", "nan"] {
            #expect(parse(bad) == nil, "\(bad)")
        }
        guard case .failure(let e) = TimestampParser.parse("1700000000000") else { Issue.record("expected failure"); return }
        #expect(e.message.contains("milliseconds"))
    }

    @Test func daysFromCivilMatchesKnownDates() {
        #expect(TimestampParser.daysFromCivil(year: 1970, month: 1, day: 1) == 0)
        #expect(TimestampParser.daysFromCivil(year: 2000, month: 3, day: 1) == 11_017)
        #expect(TimestampParser.daysFromCivil(year: 1969, month: 12, day: 31) == -1)
    }
}
