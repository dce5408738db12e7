import Foundation

/// The versioned, machine-readable privacy policy: why data is processed, on what legal basis,
/// what is kept and for how long, and who receives it. The privacy center renders it for people.
public struct PrivacyPolicy: Sendable, Codable, Equatable {
    public struct PurposeText: Sendable, Codable, Equatable {
        public var purpose: Purpose
        /// One or two plain sentences a person can understand.
        public var description: String
        /// GDPR Art. 6 basis: "consent", "contract", "legitimate-interests", "legal-obligation".
        public var legalBasis: String
        public init(purpose: Purpose, description: String, legalBasis: String) {
            self.purpose = purpose
            self.description = description
            self.legalBasis = legalBasis
        }
    }

    public struct DataCategory: Sendable, Codable, Equatable {
        /// A short name, e.g. "interactions".
        public var name: String
        public var description: String
        /// How long records of this category are kept, in days; nil means as long as the account exists.
        public var retentionDays: Int?
        public init(name: String, description: String, retentionDays: Int?) {
            self.name = name
            self.description = description
            self.retentionDays = retentionDays
        }
    }

    public struct Recipient: Sendable, Codable, Equatable {
        public var name: String
        public var purposes: [Purpose]
        public var description: String
        /// Where this recipient receives data in a third country or an international organisation: the
        /// destination and the safeguard (GDPR Art. 46), e.g. "United States, standard contractual clauses".
        /// Absent when it does not.
        public var transfer: String?
        public init(name: String, purposes: [Purpose], description: String, transfer: String? = nil) {
            self.name = name
            self.purposes = purposes
            self.description = description
            self.transfer = transfer
        }
    }

    /// Changes whenever the text changes; consent records name the version the person saw.
    public var version: String
    public var controller: String
    public var contact: String
    public var purposes: [PurposeText]
    public var dataCategories: [DataCategory]
    public var recipients: [Recipient]

    public init(version: String, controller: String, contact: String, purposes: [PurposeText], dataCategories: [DataCategory], recipients: [Recipient]) {
        self.version = version
        self.controller = controller
        self.contact = contact
        self.purposes = purposes
        self.dataCategories = dataCategories
        self.recipients = recipients
    }

    public func text(for purpose: Purpose) -> PurposeText? { purposes.first { $0.purpose == purpose } }

    /// Checks that the policy is complete: every purpose described once, sane retention, a version.
    public func validate() throws(PolicyError) {
        if version.trimmingWhitespace().isEmpty { throw PolicyError(field: "version", message: "must not be empty") }
        if controller.trimmingWhitespace().isEmpty { throw PolicyError(field: "controller", message: "must name who is responsible for the data") }
        for p in Purpose.allCases {
            let count = purposes.filter { $0.purpose == p }.count
            if count == 0 {
                throw PolicyError(field: "purposes", message: "purpose '\(p.rawValue)' is not described; every purpose needs a description and a legal basis")
            }
            if count > 1 { throw PolicyError(field: "purposes", message: "purpose '\(p.rawValue)' is described \(count) times") }
        }
        let bases = ["consent", "contract", "legitimate-interests", "legal-obligation", "vital-interests", "public-task"]
        for (i, p) in purposes.enumerated() {
            if p.description.trimmingWhitespace().isEmpty { throw PolicyError(field: "purposes[\(i)].description", message: "must not be empty") }
            if !bases.contains(p.legalBasis) {
                throw PolicyError(field: "purposes[\(i)].legalBasis", message: "'\(p.legalBasis)' is not one of \(bases.joined(separator: ", "))")
            }
        }
        for (i, c) in dataCategories.enumerated() {
            if let d = c.retentionDays, d <= 0 {
                throw PolicyError(field: "dataCategories[\(i)].retentionDays", message: "must be a positive number of days, or null")
            }
            if dataCategories[..<i].contains(where: { $0.name == c.name }) {
                throw PolicyError(
                    field: "dataCategories[\(i)].name", message: "'\(c.name)' is listed twice; give each category one entry and one retention period")
            }
        }
        for (i, r) in recipients.enumerated() {
            if let t = r.transfer, t.trimmingWhitespace().isEmpty {
                throw PolicyError(
                    field: "recipients[\(i)].transfer", message: "must name the destination and the safeguard, or be left out when there is no transfer")
            }
        }
    }

    /// Reads and validates a policy from JSON.
    public static func load(json data: Data) throws(PolicyError) -> PrivacyPolicy {
        let policy: PrivacyPolicy
        do {
            policy = try JSONDecoder().decode(PrivacyPolicy.self, from: data)
        } catch let error as DecodingError {
            throw PolicyError(decoding: error)
        } catch {
            throw PolicyError(field: "-", message: "\(error)")
        }
        try policy.validate()
        return policy
    }

    public func jsonData() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try! encoder.encode(self)
    }
}

/// A policy file that is not valid, naming the field at fault.
public struct PolicyError: Error, CustomStringConvertible {
    public let field: String
    public let message: String
    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    init(decoding error: DecodingError) {
        let field = error.fieldPath ?? "(top level)"
        switch error {
        case .keyNotFound: self.init(field: field, message: "is missing")
        case .typeMismatch(let type, _): self.init(field: field, message: "has the wrong type; expected \(type)")
        case .valueNotFound(let type, _): self.init(field: field, message: "is null; expected \(type)")
        case .dataCorrupted(let ctx): self.init(field: field, message: ctx.debugDescription)
        @unknown default: self.init(field: "-", message: "\(error)")
        }
    }

    public var description: String { "policy field \(field): \(message)" }
}
