/// The one place that decides what is done about an alert, in proportion to how sure it is:
///
/// - **Decisive alerts** (a canary touched, a role violated, reading through people in order or with
///   none coming back): `decisive`, suspend by default, at once, even while the principal is observed.
/// - **While a principal is observed** (its first `AccessMonitor.Settings.observeSeconds`): every other
///   alert is recorded only; the Guard is still learning what is usual for it.
/// - **Otherwise by severity**: medium is recorded, high throttles, critical suspends (by default).
/// - **Escalation**: a key throttled in the last day whose throttle did not end the trouble (a new
///   high alert) is suspended.
///
/// Only API keys are throttled or suspended: a person token's refused requests already reach nothing.
public struct GuardResponse: Sendable, Equatable {
    public var bySeverity: [GuardAlert.Severity: GuardMitigation]
    public var decisive: GuardMitigation
    /// A throttled key's second high alert within this many seconds suspends it.
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

    /// The action for `alert`; `throttledAt` is when this principal was last throttled, if ever.
    public func action(for alert: GuardAlert, throttledAt: Int64? = nil) -> GuardMitigation {
        guard alert.principal.hasPrefix("key:") else { return .alert }
        if alert.decisive { return decisive }
        if alert.observing { return .alert }
        let planned = bySeverity[alert.severity] ?? .alert
        if planned == .throttle, alert.severity >= .high, let throttledAt, alert.at - throttledAt <= escalateWithin {
            return .suspend
        }
        return planned
    }
}
