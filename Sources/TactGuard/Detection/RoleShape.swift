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
///   that happens to about 2·`IdOrder.recent` in the persons it reads (`adjacentBaseRate`), to an
///   enumeration every time.
/// - **Its role's kinds, hours and person**: checked by `AccessMonitor` on each access.
struct RoleShape: Sendable {
    var scrape = 0.0, scrapeReads = 0, scrapeFresh = 0
    var scrapeStart: Int64 = 0
    var order = 0.0, orderSteps = 0
    var orderStart: Int64 = 0
    var adjacency = 0.0, adjacentReads = 0, adjacentHits = 0
    var adjacentStart: Int64 = 0
    /// A device's own person: the first it read.
    var person: String?

    /// One successful read, fresh or not; true when the CUSUM crosses `threshold`.
    mutating func read(fresh: Bool, at: Int64, q0: Double, q1: Double, threshold: Double) -> Bool {
        let next = max(0, scrape + (fresh ? log(q1 / q0) : log((1 - q1) / (1 - q0))))
        if scrape == 0 {
            scrapeReads = 0
            scrapeFresh = 0
            scrapeStart = at
        }
        scrape = next
        if next == 0 { return false }
        scrapeReads += 1
        if fresh { scrapeFresh += 1 }
        return scrape >= threshold
    }

    /// One fresh read, next to a recent id or not, where chance gives `p0` and enumeration at least `p1`;
    /// true when the CUSUM crosses `threshold`.
    mutating func read(adjacent: Bool, at: Int64, p0: Double, p1: Double, threshold: Double) -> Bool {
        let next = max(0, adjacency + (adjacent ? log(p1 / p0) : log((1 - p1) / (1 - p0))))
        if adjacency == 0 {
            adjacentReads = 0
            adjacentHits = 0
            adjacentStart = at
        }
        adjacency = next
        if next == 0 { return false }
        adjacentReads += 1
        if adjacent { adjacentHits += 1 }
        return adjacency >= threshold
    }

    /// The chance a fresh read of a principal that has read `persons` distinct persons lands next to one
    /// of its `recent` last ids, and the rate an enumeration mixed into its traffic shows at least.
    /// A principal that has read few persons is given the benefit of the doubt (as if it had read 320), so
    /// that a developer trying ten ids in a row is not taken for a scraper: about 18 ids in order then.
    static func adjacentRates(persons: Int, recent: Int) -> (p0: Double, p1: Double) {
        let p0 = min(0.2, Double(2 * recent) / Double(max(persons, 320)))
        return (p0, min(0.5, max(0.05, 10 * p0)))
    }

    /// One id compared with the one before; true when the CUSUM crosses `threshold`.
    mutating func step(monotone: Bool, at: Int64, threshold: Double) -> Bool {
        let next = max(0, order + (monotone ? log(0.95 / 0.5) : log(0.05 / 0.5)))
        if order == 0 {
            orderSteps = 0
            orderStart = at
        }
        order = next
        if next == 0 { return false }
        orderSteps += 1
        return order >= threshold
    }
}
