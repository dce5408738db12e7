/// Why personal data is processed. Consent is given or refused per purpose.
public enum Purpose: String, CaseIterable, Sendable, Codable, Comparable {
    /// Needed to provide the service the person asked for (security, fraud prevention, the account itself).
    case essential
    /// Tailoring what this person is shown to their own behaviour.
    case personalization
    /// Aggregate measurement of how the service is used.
    case analytics
    /// Choosing ads for this person.
    case advertising
    /// Selling or sharing personal data with third parties (CCPA "sale or sharing").
    case saleOrSharing = "sale-or-sharing"
    /// Using this person's data to train models that serve everyone.
    case modelTraining = "model-training"

    /// Position in `allCases`, for flat per-purpose tables.
    @inlinable
    public var ordinal: Int {
        switch self {
        case .essential: 0
        case .personalization: 1
        case .analytics: 2
        case .advertising: 3
        case .saleOrSharing: 4
        case .modelTraining: 5
        }
    }

    /// Purposes that a Global Privacy Control signal refuses.
    public static let refusedByGlobalPrivacyControl: [Purpose] = [.saleOrSharing, .advertising]

    public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// Parses a comma-separated list such as "personalization,model-training"; "all" means every purpose.
    public static func parseList(_ text: String) throws(PurposeListError) -> [Purpose] {
        var result: [Purpose] = []
        for part in text.split(separator: ",") {
            let name = part.trimmingWhitespace().lowercased()
            if name.isEmpty { continue }
            if name == "all" { return allCases }
            guard let p = Purpose(rawValue: name) else { throw PurposeListError(name: name) }
            if !result.contains(p) { result.append(p) }
        }
        if result.isEmpty { throw PurposeListError(name: text) }
        return result
    }

    public static func < (a: Purpose, b: Purpose) -> Bool {
        a.ordinal < b.ordinal
    }
}

/// A purpose name that is not one Tact knows.
public struct PurposeListError: Error, CustomStringConvertible {
    public let name: String
    public var description: String { "unknown purpose '\(name)'; use one or more of: \(Purpose.names) (comma-separated), or 'all'" }
}

extension StringProtocol where UTF8View: BidirectionalCollection {
    /// The text without leading and trailing spaces, tabs and line breaks.
    public func trimmingWhitespace() -> String {
        // Fast path: ASCII text that starts and ends with a visible character.
        let u = utf8
        guard let head = u.first, let tail = u.last else { return "" }
        if head > 0x20, head < 0x80, tail > 0x20, tail < 0x80 { return String(self) }
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        var out = String.UnicodeScalarView()
        out.append(contentsOf: scalars[first...last])
        return String(out)
    }
}
