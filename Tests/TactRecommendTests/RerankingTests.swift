import Foundation
import TactCore
import Testing

@testable import TactRecommend

/// Re-ranking for diversity, novelty and caps; playlists; the beyond-accuracy metrics.
@Suite struct RerankingTests {
    /// Items 0...5 in two clusters: 0-2 ("a") alike, 3-5 ("b") alike, the clusters unlike.
    static func clustered(_ a: Int32, _ b: Int32) -> Float { (a < 3) == (b < 3) ? 0.9 : 0.0 }
    static func cluster(_ item: Int32) -> [String] { [item < 3 ? "a" : "b"] }
    /// Relevance falls with the index: the "a" cluster is the most relevant.
    static let candidates: [(item: Int32, score: Float)] = [(0, 1.0), (1, 0.95), (2, 0.9), (3, 0.6), (4, 0.55), (5, 0.5)]

    @Test("λ = 1 and no caps keep the relevance order; lower λ brings the other cluster in earlier")
    func mmr() {
        let plain = MMRReranker.rerank(Self.candidates, k: 4, options: .init(), similarity: Self.clustered, groups: Self.cluster, popularity: { _ in 0 })
        #expect(plain.map(\.item) == [0, 1, 2, 3])
        let diverse = MMRReranker.rerank(
            Self.candidates, k: 4, options: .init(lambda: 0.5), similarity: Self.clustered, groups: Self.cluster,
            popularity: { _ in 0 })
        // 3 comes second (it would be fourth); then 1, and 2 beats 4, whose relevance is far lower.
        #expect(diverse.map(\.item) == [0, 3, 1, 2], "\(diverse.map(\.item))")
        #expect(diverse.first?.score == 1.0, "scores are the original ones")
    }

    @Test("a cap per group holds, and may leave the list short; novelty demotes popular items")
    func capsAndNovelty() {
        let capped = MMRReranker.rerank(
            Self.candidates, k: 5, options: .init(maxPerGroup: 2), similarity: Self.clustered, groups: Self.cluster,
            popularity: { _ in 0 })
        #expect(capped.map(\.item) == [0, 1, 3, 4])
        // Item 0 is by far the most popular; with a strong novelty weight it drops below less popular ones.
        let novel = MMRReranker.rerank(
            Self.candidates, k: 3, options: .init(novelty: 0.8), similarity: Self.clustered, groups: Self.cluster,
            popularity: { $0 == 0 ? 1 : 0.1 })
        #expect(novel.first?.item == 1 && !novel.map(\.item).prefix(2).contains(0))
    }

    @Test("item similarity: factor cosine and tag overlap")
    func similarity() {
        var factors = FactorMatrix(rows: 3, factors: 2)
        let rows: [[Float]] = [[1, 0], [2, 0], [0, 3]]
        for r in 0..<3 { for f in 0..<2 { factors.storage[r * factors.stride + f] = rows[r][f] } }
        let cosine = ItemSimilarity(factors: factors)
        #expect(abs(cosine(0, 1) - 1) < 1e-6 && abs(cosine(0, 2)) < 1e-6)
        let tags = ItemSimilarity(tags: [["rock", "live"], ["rock"], ["jazz"]])
        #expect(tags(0, 1) == 0.5 && tags(0, 2) == 0)
    }

    @Test("intra-list diversity, novelty and coverage on lists worked by hand")
    func beyondAccuracy() {
        // People × items: item 0 had by all 4, item 1 by 2, items 2 and 3 by 1.
        let matrix = SparseMatrix(rows: 4, columns: 5, triplets: [(0, 0, 1), (1, 0, 1), (2, 0, 1), (3, 0, 1), (0, 1, 1), (1, 1, 1), (2, 2, 1), (3, 3, 1)])
        let popularity = ItemPopularity(matrix)
        #expect(popularity.selfInformation(0) == 0 && popularity.selfInformation(1) == 1 && popularity.selfInformation(2) == 2)
        let co = CooccurrenceSimilarity(matrix)
        #expect(abs(co(0, 1) - Float(2) / (4 * 2).squareRoot()) < 1e-6 && co(2, 3) == 0)
        let measured = BeyondAccuracy.measure(lists: [[0, 1], [2, 3]], items: 5, similarity: { co($0, $1) }, popularity: popularity)
        #expect(abs(measured.intraListDiversity - (Double(1 - co(0, 1)) + 1) / 2) < 1e-6)
        #expect(abs(measured.novelty - (0 + 1 + 2 + 2) / 4.0) < 1e-9)
        #expect(measured.coverage == 0.8)
    }

    @Test("a playlist: its length, the familiar share spread through it, no repeats, caps, smooth and seeded")
    func playlist() {
        // 40 items in 4 clusters of 10 (cluster = item / 10); familiar: two of each cluster, discoveries: the rest.
        func sim(_ a: Int32, _ b: Int32) -> Float { a / 10 == b / 10 ? 0.8 : 0.05 }
        func groups(_ i: Int32) -> [String] { ["g\(i / 10)"] }
        let familiarItems: [Int32] = [0, 1, 10, 11, 20, 21, 30, 31]
        let familiar = familiarItems.enumerated().map { (item: $0.element, score: Float(10 - $0.offset)) }
        let discovery = (0..<40).map(Int32.init).filter { !familiarItems.contains($0) }.map { (item: $0, score: Float(40 - $0)) }
        let options = PlaylistOptions(length: 20, familiarShare: 0.25, maxPerGroup: 6, smoothness: 0.6)
        let list = PlaylistBuilder.build(familiar: familiar, discovery: discovery, options: options, similarity: sim, groups: groups, seed: 7)
        #expect(list.count == 20)
        #expect(Set(list.map(\.item)).count == 20, "no repeats")
        #expect(list.filter(\.familiar).count == 5)
        let familiarPositions = list.enumerated().filter { $0.element.familiar }.map(\.offset)
        #expect(familiarPositions.max()! - familiarPositions.min()! >= 12, "spread through the list: \(familiarPositions)")
        var perGroup: [String: Int] = [:]
        for e in list { perGroup[groups(e.item)[0], default: 0] += 1 }
        #expect(perGroup.values.allSatisfy { $0 <= 6 })
        let again = PlaylistBuilder.build(familiar: familiar, discovery: discovery, options: options, similarity: sim, groups: groups, seed: 7)
        #expect(again == list, "the same seed gives the same playlist")
        var differs = false
        for seed in UInt64(8)...UInt64(20)
        where PlaylistBuilder.build(
            familiar: familiar, discovery: discovery, options: options, similarity: sim,
            groups: groups, seed: seed) != list
        { differs = true }
        #expect(differs, "another week's seed changes it")
        var rng = SystemRandomNumberGenerator()
        let shuffled = list.map(\.item).shuffled(using: &rng)
        #expect(PlaylistBuilder.coherence(list.map(\.item), similarity: sim) > PlaylistBuilder.coherence(shuffled, similarity: sim) || list.count < 2)
    }
}
