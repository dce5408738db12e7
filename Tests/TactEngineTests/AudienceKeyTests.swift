import Testing

@testable import TactEngine

@Suite struct AudienceKeyTests {
    @Test("no two different topic sets share an audience key, whatever the tags hold")
    func keysAreUnambiguous() {
        #expect(AudienceKey.of(["a\u{1F}b"]) != AudienceKey.of(["a", "b"]))
        #expect(AudienceKey.of(["a:b"]) != AudienceKey.of(["a", "b"]))
        #expect(AudienceKey.of(["1:a"]) != AudienceKey.of(["a"]))
        #expect(AudienceKey.of(["ab", "c"]) != AudienceKey.of(["a", "bc"]))
        #expect(AudienceKey.of(["b", "a", "a"]) == AudienceKey.of(["a", "b"]), "a set: order and repeats do not matter")
        // Every pair of distinct small sets over tricky topics gets its own key.
        let topics = ["a", "b", "a\u{1F}b", "1:a", "", ":", "a:b"]
        var seen: [String: [String]] = [:]
        for mask in 1..<(1 << topics.count) {
            let set = topics.enumerated().filter { mask & (1 << $0.offset) != 0 }.map(\.element)
            let key = AudienceKey.of(set)
            #expect(seen[key] == nil, "\(set) and \(seen[key] ?? []) share a key")
            seen[key] = set
        }
    }
}
