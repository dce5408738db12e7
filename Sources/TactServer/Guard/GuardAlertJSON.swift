import TactStore

/// An alert as the API lists it and the webhook sends it.
struct GuardAlertJSON: Encodable {
    var id: Int64?
    var at: Int64
    var principal: String
    var severity: String
    var kind: String
    var explanation: String
    var persons: Int
    var action: String

    init(_ a: GuardAlertRecord) {
        id = a.id
        at = a.at
        principal = a.principal
        severity = a.severity
        kind = a.kind
        explanation = a.explanation
        persons = a.persons
        action = a.action
    }
}
