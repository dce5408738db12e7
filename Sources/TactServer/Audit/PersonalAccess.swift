import TactCore
import TactGuard

/// What a route does with the person its `{person}` path parameter names, declared where the route is
/// registered (`Router.person(_:_:_:_:state:use:)`). The audit middleware and the Guard read it from the
/// matched route, never from the raw path, so a path the router folds (`//v1/people/x/…`) is recorded
/// exactly like its canonical form.
struct PersonalAccess: Sendable, Equatable {
    /// Why the route processes the person's data.
    var purpose: Purpose
    /// What kind of access it is, for the Guard (exports and erasures feed its burst rule).
    var kind: AccessEvent.Kind
    /// The route appends its own audit entry inside its write transaction (consent changes); the
    /// middleware records nothing more, so every request is recorded exactly once.
    var auditsItself = false

    static func read(_ purpose: Purpose) -> Self { Self(purpose: purpose, kind: .read) }
    static func write(_ purpose: Purpose) -> Self { Self(purpose: purpose, kind: .write) }
    static let export = Self(purpose: .essential, kind: .export)
    static let erase = Self(purpose: .essential, kind: .erase)
}
