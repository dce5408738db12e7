/// A column a `RecommenderModel` ranked for a person, with the history columns that explain it.
public struct RankedItem: Sendable {
    public var item: Int32
    public var score: Float
    /// History columns and their share (0...1) of the score's positive part, largest first; empty
    /// when the model gives no reasons (popularity).
    public var reasons: [(item: Int32, share: Float)]

    public init(item: Int32, score: Float, reasons: [(item: Int32, share: Float)] = []) {
        self.item = item
        self.score = score
        self.reasons = reasons
    }
}
