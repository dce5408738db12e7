/// How much one event says that a person liked an item, for models that count positive signals.
public enum EventWeight {
    /// 1 for a positive implicit event, 0 for skips and dislikes; a rating counts from 3 upwards
    /// (3 → 1/3, 5 → 1), so that poorly rated items do not look popular.
    public static func positive(kind: String, value: Double) -> Float {
        switch kind {
        case "skip", "dislike": return 0
        case "rating": return value >= 3 ? Float((value - 2) / 3) : 0
        default: return value > 0 ? 1 : 0
        }
    }

    /// How strongly one event says a person liked an item, for matrix factorization and kNN:
    /// the value of a positive implicit event (a count of plays, say), 0 for skips and dislikes,
    /// and for a rating its distance above 2 on a 1–5 scale, over 3.
    public static func strength(kind: String, value: Double) -> Float {
        switch kind {
        case "skip", "dislike": return 0
        case "rating": return value >= 3 ? Float((value - 2) / 3) : 0
        default: return Float(max(0, value))
        }
    }
}
