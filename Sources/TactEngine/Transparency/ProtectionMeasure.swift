import TactCore

/// A technical measure Tact itself takes to protect personal data (GDPR Art. 32), as the record of
/// processing activities lists it. Only what Tact implements belongs here; an operator adds their own
/// organisational measures to the record they keep.
public struct ProtectionMeasure: Sendable, Equatable, Codable {
    public var name: String
    public var description: String

    public init(name: String, description: String) {
        self.name = name
        self.description = description
    }

    /// The measures Tact takes, worded for an installation in `mode`.
    public static func implemented(mode: ConsentMode) -> [ProtectionMeasure] {
        let gating =
            mode == .optIn
            ? "Nothing is stored for a purpose until the person grants it (opt-in)."
            : "Data is stored unless the person refuses (opt-out); a Global Privacy Control signal refuses sale or sharing and advertising."
        return [
            ProtectionMeasure(
                name: "Keyed pseudonyms",
                description:
                    "A person's id is replaced by a keyed pseudonym (HMAC-SHA256 under a secret kept outside the database) before anything is stored; the store never holds a raw id."
            ),
            ProtectionMeasure(
                name: "Consent gating",
                description:
                    "\(gating) Events a person's consent does not permit are counted and never stored; every consent change is appended to a ledger that names the policy version the person saw."
            ),
            ProtectionMeasure(
                name: "Per-person encryption of free text",
                description:
                    "Free text that comes with an event is encrypted under a key of the person's own, so that destroying the key makes it unreadable everywhere, backups included."
            ),
            ProtectionMeasure(
                name: "Hash-chained audit log",
                description:
                    "Every access to personal data is appended to an audit log whose entries are chained by hashes, so a changed or removed entry shows; the log holds pseudonyms and counts, never raw ids or free text."
            ),
            ProtectionMeasure(
                name: "Retention job",
                description: "A job deletes events and empties free text older than the periods above, and records each run (what it deleted, per category)."),
            ProtectionMeasure(
                name: "Erasure that reaches the model",
                description:
                    "Erasing a person removes their stored rows and keys and removes their contribution from the model before the next recommendation is served."
            ),
            ProtectionMeasure(
                name: "Scoped API keys",
                description: "Clients present API keys whose scopes limit what they may do; Tact keeps only the SHA-256 of each key."),
            ProtectionMeasure(
                name: "Logs without personal data",
                description: "Operational logs carry counts, names and pseudonym prefixes, never raw ids, free text or secrets.")
        ]
    }
}
