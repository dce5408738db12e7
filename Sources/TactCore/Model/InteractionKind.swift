/// What a person did with an item.
public enum InteractionKind: String, CaseIterable, Sendable, Codable {
    case view, click, play, like, dislike, skip, purchase, rating

    /// The value an event of this kind carries when the input gives none.
    public var defaultValue: Double {
        switch self {
        case .dislike, .skip: return -1
        case .rating: return 3
        default: return 1
        }
    }

    /// The list of kinds, for error messages and help text.
    public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
