import Foundation

/// What the Guard checks of a principal against its role, read by read, from its very first access
/// (no baseline needed, so it holds while the principal is still observed):
///
/// - **Reading through people** (`scrape`): a CUSUM (Page 1954) of the log-likelihood ratio "the share of
///   persons it had not read in the last day is `scrapeShare` (99%) rather than at most its role's
///   `KeyRole.freshShareAtMost` (95% for an app)". An app's audience comes back (on a Zipf audience
///   about 70% of a new key's first reads are new to it, 60% later), a scraper's never does; at the
///   threshold of 16 a scraper of every person is stopped after about 400 reads.
/// - **Reading in id order** (`order`), two ways: a CUSUM of "ids continue in the same direction 95% of
///   the time rather than half" (about 25 ids in a row), and, for an enumeration mixed into an app's own
///   traffic, a CUSUM over its fresh reads of "next to one of the ids it asked for just before": by chance
///   that happens to about 2·`IdOrder.recent` in the persons it reads (`adjacentRates`), to an
///   enumeration every time.
/// - **Reading people who are not using it** (`inactive`, `unsent`), once `ActivityMemory` can tell: CUSUMs
///   over every read of "95% of the persons it reads had no event in the last days" (or: were never sent an
///   event by this key) against the role's "at most 60%". The people an app reads are the people using it;
///   a scraper reads through everyone, mostly people who have not been active for days, and re-reading
///   them does not help it.
/// - **Its role's kinds, hours and person**: checked by `AccessMonitor` on each access.
struct RoleShape: Sendable {
    /// Reads of persons not read in the last day, against the role's expected share.
    var scrape = BernoulliCUSUM()
    /// Ids running the same way as the step before.
    var order = BernoulliCUSUM()
    /// Fresh reads next to one of the last ids asked for.
    var adjacency = BernoulliCUSUM()
    /// Reads of persons with no event in the last days.
    var inactive = BernoulliCUSUM()
    /// Reads of persons this key never sent an event for.
    var unsent = BernoulliCUSUM()
    /// A device's own person: the first it read.
    var person: String?

    /// The chance a fresh read of a principal that has read `persons` distinct persons lands next to one
    /// of its `recent` last ids, and the rate an enumeration mixed into its traffic shows at least.
    /// A principal that has read few persons is given the benefit of the doubt (as if it had read 320), so
    /// that a developer trying ten ids in a row is not taken for a scraper: about 18 ids in order then.
    static func adjacentRates(persons: Int, recent: Int) -> (p0: Double, p1: Double) {
        let p0 = min(0.2, Double(2 * recent) / Double(max(persons, 320)))
        return (p0, min(0.5, max(0.05, 10 * p0)))
    }

    /// Ids in order: "the same way 95% of the time", against half.
    static let orderRates = (p0: 0.5, p1: 0.95)
}
