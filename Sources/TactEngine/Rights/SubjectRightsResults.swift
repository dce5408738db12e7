import TactCore
import TactStore

/// What an erasure did.
public struct ErasureResult: Sendable {
    public var requestID: Int64
    /// Whether anything was stored for the person.
    public var found = false
    public var removed = ErasureCounts()
    /// Whether their key was in the vault (and is now destroyed).
    public var keyShredded = false
    /// Catalog items they had touched.
    public var items = 0
    public var model = ModelPatchReport()
    public var seconds = 0.0

    /// Counts only, for the request record.
    var detail: String {
        "interactions=\(removed.interactions) consent_records=\(removed.consentRecords) key_shredded=\(keyShredded) "
            + "user_vectors_dropped=\(model.userVectorsDropped) items_resolved=\(model.itemsResolved)"
            + (model.awaitingRetrain.isEmpty ? "" : " awaiting_retrain=\(model.awaitingRetrain.joined(separator: ","))")
    }
}

/// A correction of one interaction: a new kind, a new value, or both.
public struct InteractionCorrection: Sendable, Equatable {
    public var id: Int64
    public var kind: InteractionKind?
    public var value: Double?

    public init(id: Int64, kind: InteractionKind? = nil, value: Double? = nil) {
        self.id = id
        self.kind = kind
        self.value = value
    }
}

/// What a rectification did.
public struct RectificationResult: Sendable {
    public var requestID: Int64
    public var deleted = 0
    public var corrected = 0
    /// Ids named that are not the person's interactions.
    public var unknown: [Int64] = []
    public var model = ModelPatchReport()

    var detail: String { "deleted=\(deleted) corrected=\(corrected) unknown_ids=\(unknown.count)" }
}

/// What a restriction (or its lifting) did.
public struct RestrictionResult: Sendable {
    public var requestID: Int64
    public var restricted: Bool
    public var model = ModelPatchReport()
}

/// What a withdrawal did.
public struct WithdrawalResult: Sendable {
    public var requestID: Int64
    public var consent = ConsentState()
    public var model = ModelPatchReport()
}
