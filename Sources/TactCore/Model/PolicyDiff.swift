/// What changed between two versions of the privacy policy, in plain words a person can read,
/// e.g. "interactions: kept 730 days → 365 days".
///
/// Purposes are matched by purpose, data categories and recipients by name: a renamed category
/// reads as one removed and one added.
public struct PolicyDiff: Sendable, Equatable, Codable {
    /// The kind of one change, for programs that sort or filter changes.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case controller
        case contact
        case purposeAdded = "purpose-added"
        case purposeRemoved = "purpose-removed"
        case purposeDescription = "purpose-description"
        case legalBasis = "legal-basis"
        case categoryAdded = "category-added"
        case categoryRemoved = "category-removed"
        case categoryDescription = "category-description"
        case retention
        case recipientAdded = "recipient-added"
        case recipientRemoved = "recipient-removed"
        case recipientChanged = "recipient-changed"
    }

    /// One change, as a sentence.
    public struct Change: Sendable, Equatable, Codable, CustomStringConvertible {
        public var kind: Kind
        public var text: String
        public init(kind: Kind, text: String) {
            self.kind = kind
            self.text = text
        }
        public var description: String { text }
    }

    /// The older version.
    public var from: String
    /// The newer version.
    public var to: String
    /// Every change, in the order of the policy: controller and contact, purposes, data categories, recipients.
    public var changes: [Change]

    /// True when the two versions say the same thing.
    public var isEmpty: Bool { changes.isEmpty }

    /// The changes that turn `old` into `new`.
    public init(from old: PrivacyPolicy, to new: PrivacyPolicy) {
        from = old.version
        to = new.version
        var out: [Change] = []
        func add(_ kind: Kind, _ text: String) { out.append(Change(kind: kind, text: text)) }

        if old.controller != new.controller { add(.controller, "controller: \(Self.quoted(old.controller)) → \(Self.quoted(new.controller))") }
        if old.contact != new.contact { add(.contact, "contact: \(Self.quoted(old.contact)) → \(Self.quoted(new.contact))") }

        for p in old.purposes where new.text(for: p.purpose) == nil {
            add(.purposeRemoved, "purpose removed: \(p.purpose.rawValue)")
        }
        for p in new.purposes {
            guard let before = old.text(for: p.purpose) else {
                add(.purposeAdded, "purpose added: \(p.purpose.rawValue), on the legal basis \(p.legalBasis): \(Self.quoted(p.description))")
                continue
            }
            if before.legalBasis != p.legalBasis {
                add(.legalBasis, "\(p.purpose.rawValue): legal basis \(before.legalBasis) → \(p.legalBasis)")
            }
            if before.description != p.description {
                add(.purposeDescription, "\(p.purpose.rawValue): description \(Self.quoted(before.description)) → \(Self.quoted(p.description))")
            }
        }

        for c in old.dataCategories where !new.dataCategories.contains(where: { $0.name == c.name }) {
            add(.categoryRemoved, "data category removed: \(c.name)")
        }
        for c in new.dataCategories {
            guard let before = old.dataCategories.first(where: { $0.name == c.name }) else {
                add(.categoryAdded, "data category added: \(c.name), kept \(Self.retention(c.retentionDays)): \(Self.quoted(c.description))")
                continue
            }
            if before.retentionDays != c.retentionDays {
                add(.retention, "\(c.name): kept \(Self.retention(before.retentionDays)) → \(Self.retention(c.retentionDays))")
            }
            if before.description != c.description {
                add(.categoryDescription, "\(c.name): description \(Self.quoted(before.description)) → \(Self.quoted(c.description))")
            }
        }

        for r in old.recipients where !new.recipients.contains(where: { $0.name == r.name }) {
            add(.recipientRemoved, "recipient removed: \(r.name)")
        }
        for r in new.recipients {
            guard let before = old.recipients.first(where: { $0.name == r.name }) else {
                var text = "recipient added: \(r.name), for \(Self.purposes(r.purposes))"
                if let t = r.transfer { text += ", transfer to \(t)" }
                add(.recipientAdded, text)
                continue
            }
            if before.purposes != r.purposes {
                add(.recipientChanged, "recipient \(r.name): purposes \(Self.purposes(before.purposes)) → \(Self.purposes(r.purposes))")
            }
            if before.description != r.description {
                add(.recipientChanged, "recipient \(r.name): description \(Self.quoted(before.description)) → \(Self.quoted(r.description))")
            }
            if before.transfer != r.transfer {
                add(.recipientChanged, "recipient \(r.name): transfer \(Self.transfer(before.transfer)) → \(Self.transfer(r.transfer))")
            }
        }
        changes = out
    }

    /// A retention period in words: "730 days", "1 day", or "as long as the account exists".
    public static func retention(_ days: Int?) -> String {
        guard let days else { return "as long as the account exists" }
        return days == 1 ? "1 day" : "\(days) days"
    }

    static func quoted(_ text: String) -> String { "\"\(text)\"" }

    static func transfer(_ text: String?) -> String { text.map(quoted) ?? "none" }

    static func purposes(_ list: [Purpose]) -> String {
        list.isEmpty ? "no purpose" : list.map(\.rawValue).joined(separator: ", ")
    }
}
