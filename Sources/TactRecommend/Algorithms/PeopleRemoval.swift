/// What removing people from a stored model (an erasure's patch) gave.
public enum PeopleRemoval: Sendable {
    /// The model without their rows, and the columns solved again without them, ascending.
    case patched(StoredModel, resolved: [Int32])
    /// The model keeps nothing per person that could be dropped exactly: only a retrain removes their part.
    case needsRetrain
}
