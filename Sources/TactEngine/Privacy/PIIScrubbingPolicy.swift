import TactPrivacy

/// How free text in events (search queries, comments, the `context` field) is scrubbed of personal data
/// before it is stored: `"piiScrubbing"` in config.json. Absent, every type is replaced by its tag.
///
///     "piiScrubbing": {"enabled": true, "operator": "replace", "operators": {"EMAIL": "hash"},
///                      "types": ["EMAIL", "PHONE"], "threshold": 0.5}
public struct PIIScrubbingPolicy: Codable, Sendable, Equatable {
    public var enabled: Bool
    /// The operator for types without their own.
    public var `operator`: PIIOperator
    /// Per-type operators, by type name.
    public var operators: [String: PIIOperator]?
    /// Types to look for, by name (absent: all).
    public var types: [String]?
    public var threshold: Double?

    public init(
        enabled: Bool = true, operator: PIIOperator = .replace, operators: [String: PIIOperator]? = nil, types: [String]? = nil, threshold: Double? = nil
    ) {
        self.enabled = enabled
        self.operator = `operator`
        self.operators = operators
        self.types = types
        self.threshold = threshold
    }

    public static let standard = PIIScrubbingPolicy()

    /// The redactor this policy describes; `key` (derived from the installation's secret) serves the hash and encrypt operators.
    public func redactor(key: SymmetricKeyMaterial) throws -> PIIRedactor? {
        guard enabled else { return nil }
        var selected = Set(PIIType.allCases)
        if let types {
            selected = []
            for name in types {
                guard let t = PIIType(name: name) else { throw EngineError.invalidArgument("config.json piiScrubbing.types: unknown type '\(name)'") }
                selected.insert(t)
            }
        }
        var perType: [PIIType: PIIOperator] = [:]
        for (name, op) in operators ?? [:] {
            guard let t = PIIType(name: name) else { throw EngineError.invalidArgument("config.json piiScrubbing.operators: unknown type '\(name)'") }
            perType[t] = op
        }
        let threshold = threshold ?? 0.5
        guard (0...1).contains(threshold) else { throw EngineError.invalidArgument("config.json piiScrubbing.threshold must be between 0 and 1") }
        return PIIRedactor(detector: PIIDetector(types: selected, threshold: threshold), defaultOperator: `operator`, operators: perType, key: key.key)
    }
}
