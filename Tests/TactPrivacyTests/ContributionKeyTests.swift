import Testing

@testable import TactPrivacy

@Suite struct ContributionKeyTests {
    static func words(_ g: ChaCha20Generator, _ n: Int = 4) -> [UInt64] {
        var g = g
        return (0..<n).map { _ in g.next() }
    }

    @Test("one stream per identity: the same under the same key, different across identities and keys")
    func streams() {
        let key = ContributionKey(seed: 1)
        #expect(Self.words(key.generator(for: [1, 2, 3])) == Self.words(ContributionKey(seed: 1).generator(for: [1, 2, 3])))
        #expect(Self.words(key.generator(for: [1, 2, 3])) != Self.words(key.generator(for: [1, 2, 4])))
        #expect(Self.words(key.generator(for: [])) != Self.words(key.generator(for: [0])))
        #expect(Self.words(key.generator(for: [1, 2, 3])) != Self.words(ContributionKey(seed: 2).generator(for: [1, 2, 3])))
        // Fresh keys are secret and different each time.
        #expect(Self.words(ContributionKey().generator(for: [7])) != Self.words(ContributionKey().generator(for: [7])))
        #expect(
            Self.words(ContributionKey(bytes: Array(repeating: 5, count: 32)).generator(for: [7]))
                == Self.words(ContributionKey(bytes: Array(repeating: 5, count: 32)).generator(for: [7])))
    }
}
