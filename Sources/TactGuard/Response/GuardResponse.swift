/// The one place that decides what is done about an alert, in proportion to how sure it is:
///
/// - **Decisive alerts** (a canary touched, a role violated, reading through people in order or with
///   none coming back): `decisive`, suspend by default, at once, even while the principal is observed.
/// - **While a principal is observed** (its first `AccessMonitor.Settings.observeSeconds`): every other
///   alert is recorded only; the Guard is still learning what is usual for it.
/// - **Otherwise by severity**: medium is recorded, high throttles, critical suspends (by default).
/// - **Escalation**: a key whose throttle was lifted in the last day and that raises a high alert again
///   is suspended: throttling it did not end the trouble. While it is still throttled, further alerts of
///   the same incident change nothing.
///
/// Only API keys are throttled or suspended: a person token's refused requests already reach nothing.
public struct GuardResponse: Sendable, Equatable {
    public var bySeverity: [GuardAlert.Severity: GuardMitigation]
    public var decisive: GuardMitigation
    /// A high alert within this many seconds of a lifted throttle suspends the key.
    public var escalateWithin: Int64

    public static let standard = GuardResponse()

    public init(
        bySeverity: [GuardAlert.Severity: GuardMitigation] = [.notice: .alert, .medium: .alert, .high: .throttle, .critical: .suspend],
        decisive: GuardMitigation = .suspend, escalateWithin: Int64 = 86_400
    ) {
        self.bySeverity = bySeverity
        self.decisive = decisive
        self.escalateWithin = escalateWithin
    }

    /// The action for `alert`; `liftedAt` is when this principal's last throttle was lifted, if ever.
    public func action(for alert: GuardAlert, liftedAt: Int64? = nil) -> GuardMitigation {
        guard alert.principal.hasPrefix("key:") else { return .alert }
        if alert.decisive { return decisive }
        if alert.observing { return .alert }
        let planned = bySeverity[alert.severity] ?? .alert
        if planned == .throttle, alert.severity >= .high, let liftedAt, alert.at - liftedAt <= escalateWithin {
            return .suspend
        }
        return planned
    }
}
