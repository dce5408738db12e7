/// What one principal did in one window, as numbers the baselines compare.
public struct WindowFeatures: Sendable, Equatable {
    public static let names = [
        "requests", "distinct persons", "refusals", "errors", "exports and erasures", "off-hours share", "new routes",
        "first-time persons"
    ]

    public var requests: Double
    public var distinctPersons: Double
    /// Share of 401/403/429 answers.
    public var refusals: Double
    /// Share of other 4xx and 5xx answers (probing).
    public var errors: Double
    public var exportsAndErasures: Double
    /// Share of requests in hours this principal has rarely been active in.
    public var offHours: Double
    /// Share of requests on routes this principal had not used before.
    public var newRoutes: Double
    /// Persons this principal had not read in the last 12 to 24 hours (see `PrincipalHistory`):
    /// enumeration reads through persons, use comes back to the same ones.
    public var firstTimePersons: Double

    public var vector: [Double] { [requests, distinctPersons, refusals, errors, exportsAndErasures, offHours, newRoutes, firstTimePersons] }
}
