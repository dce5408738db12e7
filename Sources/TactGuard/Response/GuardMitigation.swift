/// What the Guard does about an alert: record it only, slow the key (one request every ten seconds by
/// default), or suspend the key until `tact keys reinstate`.
public enum GuardMitigation: String, Sendable, CaseIterable, Codable {
    case alert, throttle, suspend
}
