/// The key under which an audience (a set of topics) is counted: the sorted, distinct topics, each written
/// as its UTF-8 length, a colon and itself. No two different sets share a key whatever characters a tag
/// holds (joining with a separator would let a tag `a<sep>b` count toward the set {a, b} and inflate it
/// past k).
enum AudienceKey {
    static func of(_ topics: [String]) -> String {
        Set(topics).sorted().map { "\($0.utf8.count):\($0)" }.joined()
    }
}
