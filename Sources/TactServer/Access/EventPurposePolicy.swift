import TactCore

/// Which purposes an event sent through the API may claim, per event kind: the operator's decision, never the
/// client's. An event claiming `essential` is stored whatever the person's consent says, so by default no
/// kind may claim it; every other purpose is checked against the person's consent as usual. The operator
/// allows more with `tact serve --event-purpose KIND=PURPOSE[,PURPOSE…]` (for example `purchase=essential`
/// when purchases are needed to deliver what was bought).
public struct EventPurposePolicy: Sendable, Equatable {
    /// The purposes each kind may claim.
    public private(set) var allowed: [InteractionKind: Set<Purpose>]

    /// Every kind may claim every purpose that needs consent; none may claim `essential`.
    public static let standard = EventPurposePolicy(
        allowed: Dictionary(
            uniqueKeysWithValues: InteractionKind.allCases.map {
                ($0, Set(Purpose.allCases).subtracting([.essential]))
            }))

    public func permits(_ purpose: Purpose, kind: InteractionKind) -> Bool { allowed[kind]?.contains(purpose) ?? false }

    /// Adds what `rule` allows: `KIND=PURPOSE[,PURPOSE…]`, or `*=PURPOSE…` for every kind.
    public mutating func allow(_ rule: String) throws(RuleError) {
        let parts = rule.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[1].isEmpty else { throw RuleError("write KIND=PURPOSE[,PURPOSE…], for example purchase=essential") }
        let kinds: [InteractionKind]
        if parts[0] == "*" {
            kinds = InteractionKind.allCases
        } else {
            guard let kind = InteractionKind(rawValue: parts[0]) else {
                throw RuleError("unknown kind '\(parts[0].prefix(40))'; use one of: \(InteractionKind.allCases.map(\.rawValue).joined(separator: ", ")) or *")
            }
            kinds = [kind]
        }
        var purposes: Set<Purpose> = []
        for name in parts[1].split(separator: ",") {
            guard let p = Purpose(rawValue: String(name)) else { throw RuleError("unknown purpose '\(name.prefix(40))'; use one of: \(Purpose.names)") }
            purposes.insert(p)
        }
        for kind in kinds { allowed[kind, default: []].formUnion(purposes) }
    }

    public struct RuleError: Error, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }
}
