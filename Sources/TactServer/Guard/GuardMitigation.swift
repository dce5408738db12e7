/// What the Guard does about an alert: record it only, slow the key to one request every ten
/// seconds, or suspend the key until `tact keys reinstate`.
public enum GuardMitigation: String, Sendable, CaseIterable {
    case alert, throttle, suspend
}
