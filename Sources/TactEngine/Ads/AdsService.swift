import Foundation
import TactCore
import TactPrivacy
import TactRecommend
import TactStore

/// One ad to show, with why, and the token a click or conversion names.
public struct ServedAd: Sendable {
    public let campaign: AdCampaign
    public let reason: String
    /// Whether the ad used the person's interests (false: chosen from the context alone).
    public let personal: Bool
    /// Identifies this impression (base64url); nothing in it names the person.
    public let impression: String
}

/// An advertiser's report: aggregate counts with differential-privacy noise, never a person.
public struct AdReport: Sendable {
    public let campaign: String
    public let epsilon: Double
    public let metrics: [AggregateReport.Metric]
    public let minimumCount: Int
}

/// Privacy-preserving advertising over the store: campaigns with k-anonymous audiences, interest topics
/// (Topics-API style) only for people whose consent permits advertising and who have not opted out of
/// sale or sharing, contextual ads for everyone else, frequency caps, paced budgets, and reports that
/// only ever release noisy aggregates charged to the privacy ledger.
public final class AdsService: @unchecked Sendable {
    public let engine: Engine
    public let settings: AdsSettings
    private let lock = NSLock()
    private var cache: Cache?
    private var totals: [String: AdSelector.Totals] = [:]
    private var totalsDay: Int64 = -1
    private var rebuilding = false

    private struct Cache {
        var taxonomy: TopicTaxonomy
        var builtAt: Double
        var campaigns: [AdCampaign]
        /// How many people hold each combination of topics (every subset of every person's topics),
        /// keyed by `key`: a campaign's audience is one look-up.
        var combinations: [String: Int]
        /// Each interest-targeted campaign's audience, by id.
        var audiences: [String: Int] = [:]
        /// The active campaigns by the topics that can make them eligible.
        var index = AdCampaignIndex([])

        func audience(_ topics: [String]) -> Int { combinations[Self.key(topics)] ?? 0 }

        static func key(_ topics: [String]) -> String { AudienceKey.of(topics) }

        static func combinations(of topics: [Pseudonym: [String]]) -> [String: Int] {
            var counts: [String: Int] = [:]
            for held in topics.values {
                let sorted = Array(Set(held)).sorted()
                for mask in 1..<(1 << min(sorted.count, 10)) {
                    let subset = sorted.enumerated().filter { mask & (1 << $0.offset) != 0 }.map(\.element)
                    counts[key(subset), default: 0] += 1
                }
            }
            return counts
        }
    }

    public init(engine: Engine, settings: AdsSettings = AdsSettings()) {
        self.engine = engine
        self.settings = settings
    }

    // MARK: Topics

    /// Whether interest-based ads may use this person's data: advertising permitted, no sale-or-sharing
    /// opt-out (a refusal, by them or their browser's Global Privacy Control), and not restricted.
    public func interestsPermitted(_ consent: ConsentState, restricted: Bool) -> Bool {
        !restricted && engine.gate.permits(.advertising, state: consent) && consent.decision(for: .saleOrSharing) != .deny
    }

    public func taxonomy() throws -> TopicTaxonomy { try current().taxonomy }

    /// The person's interest topics now; nil when their consent does not permit interest-based ads.
    public func topics(of pseudonym: Pseudonym, now: Int64 = Int64(Date().timeIntervalSince1970)) throws -> [String]? {
        let taxonomy = try current().taxonomy
        return try engine.store.read { r -> [String]? in
            guard let row = try r.subjectRow(for: pseudonym),
                interestsPermitted(try r.consentState(of: row), restricted: try r.restriction(of: row) != nil)
            else { return nil }
            return try topics(history: r.interactions(of: row), reader: r, taxonomy: taxonomy, pseudonym: pseudonym, now: now)
        }
    }

    private func topics(history: [StoredInteraction], reader r: any StoreReader, taxonomy: TopicTaxonomy, pseudonym: Pseudonym, now: Int64) throws -> [String] {
        let since = (InterestTopics.epoch(of: now) - Int64(settings.topicEpochs) + 1) * 7 * 86_400 - 3 * 86_400
        var items: [ItemRow: Item] = [:]
        var events: [InterestTopics.Event] = []
        for e in history where e.timestamp >= since {
            if items[e.item] == nil, let id = try r.itemID(of: e.item) { items[e.item] = try r.item(for: id) ?? Item(id: id) }
            guard let item = items[e.item] else { continue }
            events.append((item, EventWeight.strength(kind: e.kind.rawValue, value: e.value), e.timestamp))
        }
        let model = InterestTopics(taxonomy: taxonomy, epochs: settings.topicEpochs, noise: settings.topicNoise)
        return model.topics(history: events, now: now, seed: seed(for: pseudonym))
    }

    /// A secret, stable seed per person: a keyed hash of the pseudonym (so the random topic cannot be
    /// told from a real one by anyone without the installation secret).
    func seed(for pseudonym: Pseudonym) -> UInt64 {
        engine.adTopicSeeds.seed(for: pseudonym)
    }

    // MARK: Audiences

    /// How many people hold every one of `topics` now.
    public func audienceSize(_ topics: [String]) throws -> Int { try current().audience(topics) }

    /// The taxonomy, everyone's topics and the campaigns, recomputed when older than the refresh interval.
    /// A stale cache is still served while one rebuild runs in the background; only the first build blocks.
    private func current(force: Bool = false) throws -> Cache {
        let now = ProcessInfo.processInfo.systemUptime
        if !force, let cache = lock.withLock({ cache }) {
            if now - cache.builtAt < settings.audienceRefreshSeconds { return cache }
            let start = lock.withLock { () -> Bool in
                guard !rebuilding else { return false }
                rebuilding = true
                return true
            }
            if start {
                Thread.detachNewThread { [self] in
                    do { _ = try build() } catch { engine.logger.warning("could not recount ad audiences", metadata: ["error": "\(error)"]) }
                    lock.withLock { rebuilding = false }
                }
            }
            return cache
        }
        return try build()
    }

    /// Reads everything the cache holds and installs it.
    private func build() throws -> Cache {
        let now = ProcessInfo.processInfo.systemUptime
        let at = Int64(Date().timeIntervalSince1970)
        let built = try engine.store.read { r -> Cache in
            let taxonomy = TopicTaxonomy.derive(from: try r.items().map(\.item), size: settings.taxonomySize)
            var topics: [Pseudonym: [String]] = [:]
            for (row, pseudonym) in try r.subjectPseudonyms() {
                guard interestsPermitted(try r.consentState(of: row), restricted: try r.restriction(of: row) != nil) else { continue }
                let found = try self.topics(history: r.interactions(of: row), reader: r, taxonomy: taxonomy, pseudonym: pseudonym, now: at)
                if !found.isEmpty { topics[pseudonym] = found }
            }
            let campaigns = try r.adCampaigns().compactMap { try? JSONDecoder().decode(AdCampaign.self, from: Data($0.definition.utf8)) }
            // Only the counts are kept: no person's topics stay in memory.
            var cache = Cache(taxonomy: taxonomy, builtAt: now, campaigns: campaigns, combinations: Cache.combinations(of: topics))
            for c in campaigns where !c.topics.isEmpty { cache.audiences[c.id] = cache.audience(c.topics) }
            cache.index = AdCampaignIndex(campaigns)
            return cache
        }
        // Campaigns created or changed while the rebuild read everyone's history: their rows as they are now.
        return try lock.withLock { () throws -> Cache in
            // A slow background rebuild that finishes after a newer one (a forced refresh) must not put its
            // older counts back: the build that started last wins.
            if let newer = cache, newer.builtAt > built.builtAt { return newer }
            var installed = built
            installed.campaigns = try campaigns()
            for c in installed.campaigns where !c.topics.isEmpty { installed.audiences[c.id] = installed.audience(c.topics) }
            installed.index = AdCampaignIndex(installed.campaigns)
            cache = installed
            return installed
        }
    }

    /// Recomputes audiences and the taxonomy now (after a large import, or in tests).
    public func refresh() throws { _ = try current(force: true) }

    // MARK: Campaigns

    public func campaigns() throws -> [AdCampaign] {
        try engine.store.read { try $0.adCampaigns() }.compactMap { try? JSONDecoder().decode(AdCampaign.self, from: Data($0.definition.utf8)) }
    }

    /// Stores a new campaign after checking it: topics from the taxonomy, an audience of at least k, a
    /// creative with an http(s) link, a positive bid and budget.
    @discardableResult
    public func create(_ proposed: AdCampaign, actor: String) throws -> AdCampaign {
        var campaign = proposed
        let snapshot = try current()
        guard !campaign.advertiser.isEmpty, campaign.advertiser.count <= 100 else {
            throw EngineError.invalidArgument("'advertiser' must be 1 to 100 characters")
        }
        guard !campaign.name.isEmpty, campaign.name.count <= 200 else { throw EngineError.invalidArgument("'name' must be 1 to 200 characters") }
        guard let url = URL(string: campaign.creative.url), ["http", "https"].contains(url.scheme?.lowercased() ?? "") else {
            throw EngineError.invalidArgument("the creative's 'url' must be an http or https address")
        }
        guard !campaign.creative.headline.isEmpty, campaign.creative.headline.count <= 200 else {
            throw EngineError.invalidArgument("the creative's 'headline' must be 1 to 200 characters")
        }
        guard campaign.bidCPM > 0, campaign.bidCPM.isFinite, campaign.dailyBudget > 0, campaign.dailyBudget.isFinite else {
            throw EngineError.invalidArgument("'bidCPM' and 'dailyBudget' must be positive numbers")
        }
        guard campaign.frequencyCap >= 1 else { throw EngineError.invalidArgument("'frequencyCap' must be at least 1") }
        guard !campaign.topics.isEmpty || !campaign.contextTopics.isEmpty else {
            throw EngineError.invalidArgument("a campaign targets interest 'topics', 'contextTopics', or both")
        }
        for topic in campaign.topics + campaign.contextTopics where !snapshot.taxonomy.contains(topic) {
            throw EngineError.invalidArgument("'\(topic.prefix(60))' is not a topic of the taxonomy; GET /v1/ads/topics lists them")
        }
        if !campaign.topics.isEmpty {
            let size = try audienceSize(campaign.topics)
            guard size >= settings.minimumAudience else { throw EngineError.audienceTooSmall(topics: campaign.topics, minimum: settings.minimumAudience) }
        }
        campaign.id = campaign.id.isEmpty ? "c_" + Hex.encode((0..<8).map { _ in UInt8.random(in: 0...255) }) : campaign.id
        campaign.createdAt = Int64(Date().timeIntervalSince1970)
        let json = String(decoding: try JSONEncoder().encode(campaign), as: UTF8.self)
        let stored = campaign
        try engine.store.write { w in
            try w.upsertAdCampaign(
                AdCampaignRecord(
                    id: stored.id, advertiser: stored.advertiser, status: stored.status.rawValue,
                    createdAt: stored.createdAt, definition: json))
            try w.appendAudit(AuditEntry(at: stored.createdAt, actor: actor, action: "ads.campaign.create", detail: "campaign=\(stored.id)"))
        }
        lock.withLock {
            self.cache?.campaigns.append(stored)
            if !stored.topics.isEmpty, let size = self.cache?.audience(stored.topics) { self.cache?.audiences[stored.id] = size }
            if let all = self.cache?.campaigns { self.cache?.index = AdCampaignIndex(all) }
        }
        return stored
    }

    /// Pauses, resumes or ends a campaign.
    public func setStatus(_ id: String, _ status: AdCampaign.Status, actor: String) throws -> AdCampaign {
        guard var campaign = try campaigns().first(where: { $0.id == id }) else {
            throw EngineError.invalidArgument("no campaign has the id '\(id.prefix(40))'")
        }
        campaign.status = status
        let json = String(decoding: try JSONEncoder().encode(campaign), as: UTF8.self)
        let changed = campaign
        try engine.store.write { w in
            try w.upsertAdCampaign(
                AdCampaignRecord(id: changed.id, advertiser: changed.advertiser, status: status.rawValue, createdAt: changed.createdAt, definition: json))
            try w.appendAudit(
                AuditEntry(at: Int64(Date().timeIntervalSince1970), actor: actor, action: "ads.campaign.\(status.rawValue)", detail: "campaign=\(id)"))
        }
        lock.withLock {
            if let i = cache?.campaigns.firstIndex(where: { $0.id == id }) { cache?.campaigns[i] = changed }
            if let all = cache?.campaigns { cache?.index = AdCampaignIndex(all) }
        }
        return changed
    }

    // MARK: Serving

    /// Up to `k` ads for the person (nil: an anonymous visitor) viewing `contextItem`, each recorded as an impression.
    public func serve(to pseudonym: Pseudonym?, contextItem: String?, k: Int = 1, now: Int64 = Int64(Date().timeIntervalSince1970)) throws -> [ServedAd] {
        let cache = try current()
        let day = now / 86_400
        var topics: [String]?
        var shownToday: [String: Int] = [:]
        var subject: SubjectRow?
        var contextTopics: [String] = []
        try engine.store.read { r in
            if let id = contextItem, let item = try r.item(for: id) { contextTopics = cache.taxonomy.topics(of: item) }
            guard let pseudonym, let row = try r.subjectRow(for: pseudonym),
                interestsPermitted(try r.consentState(of: row), restricted: try r.restriction(of: row) != nil)
            else { return }
            subject = row
            topics = try self.topics(history: r.interactions(of: row), reader: r, taxonomy: cache.taxonomy, pseudonym: pseudonym, now: now)
            shownToday = try r.adImpressions(of: row, since: day * 86_400)
        }
        let audience = cache.audiences
        let currentTotals = try totalsFor(day: day)
        var selector = AdSelector(minimumAudience: settings.minimumAudience)
        selector.pacingSlack = 0.1
        let choices = selector.select(
            cache.index, k: k, topics: topics, contextTopics: contextTopics, totals: currentTotals,
            shownToday: shownToday, audience: audience, dayFraction: Double(now % 86_400) / 86_400)
        var served: [ServedAd] = []
        for choice in choices {
            let token = (0..<16).map { _ in UInt8.random(in: 0...255) }
            let personal: Bool
            let reason: String
            switch choice.reason {
            case .interest(let topic): (personal, reason) = (true, "shown because you are interested in \(topic)")
            case .context: (personal, reason) = (false, "shown because of this page")
            }
            // The impression names the person only when their consent let interests be used (for caps and bounded
            // reports); for everyone else it names no one.
            let event = AdEvent(
                campaign: choice.campaign.id, subject: topics != nil ? subject : nil, kind: .impression, at: now,
                cost: choice.campaign.impressionCost, token: token)
            try engine.store.write { try $0.appendAdEvent(event) }
            lock.withLock {
                totals[choice.campaign.id, default: .init()].impressions += 1
                totals[choice.campaign.id, default: .init()].spentToday += choice.campaign.impressionCost
            }
            served.append(ServedAd(campaign: choice.campaign, reason: reason, personal: personal, impression: Base64URL.encode(token)))
        }
        return served
    }

    /// Today's spend and all-time clicks per campaign, from the store once a day and kept up to date in memory.
    private func totalsFor(day: Int64) throws -> [String: AdSelector.Totals] {
        if let known = lock.withLock({ totalsDay == day ? totals : nil }) { return known }
        let stored = try engine.store.read { try $0.adTotals(since: day * 86_400) }
        let fresh = stored.mapValues { AdSelector.Totals(impressions: $0.impressions, clicks: $0.clicks, spentToday: $0.spentSince) }
        lock.withLock {
            totals = fresh; totalsDay = day
        }
        return fresh
    }

    /// Records a click or a conversion on the impression `token` names; false when no impression has it.
    @discardableResult
    public func record(_ kind: AdEvent.Kind, impression token: String, now: Int64 = Int64(Date().timeIntervalSince1970)) throws -> Bool {
        guard kind != .impression, let bytes = Base64URL.decode(token), bytes.count == 16 else { return false }
        let (found, added) = try engine.store.write { w -> (Bool, Bool) in
            guard let impression = try w.adImpression(token: bytes) else { return (false, false) }
            // One click and one conversion per impression: repeats are accepted and ignored, so they cannot inflate click rates.
            guard try !w.adEventExists(token: bytes, kind: kind) else { return (true, false) }
            try w.appendAdEvent(AdEvent(campaign: impression.campaign, subject: impression.subject, kind: kind, at: now, cost: 0, token: bytes))
            return (true, true)
        }
        // A new click changes click rates: the totals are read from the store again on the next request.
        if kind == .click, added { lock.withLock { totalsDay = -1 } }
        return found
    }

    // MARK: Reports

    /// The campaign's impressions, clicks and conversions with differential-privacy noise at `epsilon`,
    /// charged before anything is computed to the ledger's one dataset for all advertisers' reports
    /// (`AdsSettings.ledgerDataset`), within the advertiser's share of it; a count below the minimum is
    /// suppressed. Nothing about any one person is released.
    public func report(campaign id: String, epsilon: Double, actor: String) throws -> AdReport {
        guard epsilon.isFinite, (AdsSettings.reportEpsilonRange).contains(epsilon) else {
            throw EngineError.invalidArgument(
                "'epsilon' must be from \(AdsSettings.reportEpsilonRange.lowerBound) to \(AdsSettings.reportEpsilonRange.upperBound)")
        }
        guard let campaign = try campaigns().first(where: { $0.id == id }) else {
            throw EngineError.invalidArgument("no campaign has the id '\(id.prefix(40))'")
        }
        // One dataset for every advertiser: a person in several advertisers' reports loses the sum of their ε, and the
        // ledger's total is that sum. Each advertiser may spend at most its share, so none can use up the others' reports.
        let ledger = PrivacyLedger(engine: engine)
        let owner = AdsSettings.releaseOwner(campaign.owner)
        let released = try engine.store.read { try $0.privacyReleases(dataset: nil) }
        // Reports made while each advertiser had its own dataset (`ads:KEY`) were lost by the same people: they count
        // against the shared budget and the advertiser's share. Nothing is charged to those datasets any more.
        let legacy = released.filter { $0.dataset.hasPrefix(AdsSettings.ledgerDataset + ":") }
        let carriedOver = (epsilon: legacy.reduce(0) { $0 + $1.epsilon }, delta: legacy.reduce(0) { $0 + $1.delta })
        let legacyOwner = AdsSettings.ledgerDataset + ":" + (campaign.owner.isEmpty ? "unowned" : campaign.owner)
        let ownerSpent = released.filter {
            ($0.dataset == AdsSettings.ledgerDataset && $0.release.hasSuffix(" for " + owner)) || $0.dataset == legacyOwner
        }.reduce(0) { $0 + $1.epsilon }
        let share = ledger.budget.epsilon * settings.advertiserShare
        guard ownerSpent + epsilon <= share * (1 + 1e-12) else {
            throw EngineError.privacyBudgetExceeded(
                dataset: "\(AdsSettings.ledgerDataset), the share of \(owner)", asked: (epsilon, 0), spent: (ownerSpent, 0),
                budget: (share, ledger.budget.delta))
        }
        try ledger.spend(
            dataset: AdsSettings.ledgerDataset, release: "ads report \(id) for \(owner)", mechanism: "discrete-laplace", epsilon: epsilon, delta: 0,
            carriedOver: carriedOver)
        let contributions = try self.contributions(campaign: id)
        var random = SecureRandom()
        let metrics = AggregateReport.release(contributions, epsilon: epsilon, minimumCount: settings.reportMinimumCount, using: &random)
        try engine.store.write { w in
            try w.appendAudit(
                AuditEntry(at: Int64(Date().timeIntervalSince1970), actor: actor, action: "ads.report", detail: "campaign=\(id) epsilon=\(epsilon)"))
        }
        return AdReport(campaign: id, epsilon: epsilon, metrics: metrics, minimumCount: settings.reportMinimumCount)
    }

    /// Every contributor's counts for the campaign's three metrics, with their caps: a person's events
    /// (while their consent let us name them) under their subject row, every anonymous impression (with
    /// its click and conversion) on its own.
    func contributions(campaign id: String) throws -> [(name: String, counts: [Int], cap: Int)] {
        try engine.store.read { r in
            [
                (name: "impressions", counts: try r.adContributions(campaign: id, kind: .impression), cap: settings.impressionCap),
                (name: "clicks", counts: try r.adContributions(campaign: id, kind: .click), cap: settings.clickCap),
                (name: "conversions", counts: try r.adContributions(campaign: id, kind: .conversion), cap: settings.conversionCap)
            ]
        }
    }

    /// The campaign's report before noise: each metric's capped total, what the noise is added to.
    /// Nothing uses it but the sensitivity tests; it is never released.
    func preNoiseTotals(campaign id: String) throws -> [Int64] {
        try contributions(campaign: id).map { AggregateReport.cappedTotal($0.counts, cap: $0.cap) }
    }
}
