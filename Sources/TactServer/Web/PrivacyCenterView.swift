import Foundation
import TactCore
import TactEngine
import TactStore

/// What the privacy center's overview says, in plain words, built from a `SubjectOverview`.
struct PrivacyCenterView {
    let engine: Engine
    let overview: SubjectOverview

    static let purposeNames: [Purpose: String] = [
        .essential: "Running the service", .personalization: "Personalized recommendations", .analytics: "Statistics about how the service is used",
        .advertising: "Advertising", .saleOrSharing: "Selling or sharing data with partners", .modelTraining: "Training our recommendation model"
    ]

    func values() -> [String: Any] {
        let policy = engine.policy
        let retention = policy.dataCategories.first { $0.name == "interactions" }?.retentionDays
        let kept = retention.map { "Deleted after \($0) days." } ?? "Kept until you delete it."
        let gate = engine.gate
        let uses = [Purpose.personalization, .modelTraining].filter { gate.permits($0, state: overview.consent) }
        let activityWhy =
            uses.isEmpty
            ? "Kept, but not used for anything you have not allowed. \(kept)"
            : "Used for " + uses.map { (Self.purposeNames[$0] ?? $0.rawValue).lowercased() }.joined(separator: " and ") + ", as you allowed. \(kept)"
        let categories: [[String: Any]] = [
            ["id": "interactions", "name": "Your activity (plays, views, ratings…)", "count": overview.interactions, "why": activityWhy],
            ["id": "items", "name": "Different items in it", "count": overview.items, "why": "The items your activity is about."],
            [
                "id": "notes", "name": "Notes and free text you wrote", "count": overview.sealedNotes,
                "why": "Scrubbed of personal details and sealed with a key of your own, which deletion destroys."
            ],
            [
                "id": "consent", "name": "Your consent decisions", "count": overview.consentRecords,
                "why": "We must be able to prove what you allowed, and when (a legal duty)."
            ],
            [
                "id": "requests", "name": "Your requests to us", "count": overview.requests.count,
                "why": "To show we answered your requests in time; kept under a reference that is not your id."
            ],
            [
                "id": "audit", "name": "Records of who accessed your data", "count": overview.auditEntries,
                "why": "A tamper-evident log, so you and auditors can check every access."
            ]
        ]
        let interests: [[String: Any]] = overview.interests.map { ["name": $0.name, "percent": Int(($0.share * 100).rounded())] }
        let purposes: [[String: Any]] = Purpose.allCases.map { p in
            let permitted = gate.permits(p, state: overview.consent)
            return [
                "id": p.rawValue, "name": Self.purposeNames[p] ?? p.rawValue, "permitted": permitted, "locked": p == .essential,
                "why": policy.purposes.first { $0.purpose == p }?.description ?? "", "stateText": stateText(p, permitted: permitted)
            ]
        }
        let requests: [[String: Any]] = overview.requests.reversed().map { r in
            ["id": r.id, "kind": r.kind.rawValue, "status": r.status.rawValue, "received": Self.time(r.receivedAt), "due": Self.day(r.dueAt)]
        }
        var summary: String
        if !overview.known {
            summary = "We keep nothing about you."
        } else {
            summary =
                "We keep \(overview.interactions) activity event\(overview.interactions == 1 ? "" : "s") of yours on \(overview.items) item\(overview.items == 1 ? "" : "s")."
            if let top = overview.interests.first { summary += " Most of it concerns \(top.name)." }
        }
        if overview.restrictedAt != nil { summary += " You restricted processing: your data is kept but not used." }
        let modeText =
            engine.configuration.consentMode == .optIn
            ? "Nothing is used for a purpose until you allow it."
            : "Your data is used unless you refuse; your browser's Global Privacy Control refuses selling, sharing and advertising."
        return [
            "summary": summary, "categories": categories, "interests": interests, "purposes": purposes, "requests": requests,
            "modeText": modeText
        ]
    }

    func stateText(_ purpose: Purpose, permitted: Bool) -> String {
        if purpose == .essential { return "Always on: the service cannot run without it." }
        guard let entry = overview.consent[purpose] else {
            return permitted ? "On by default; you have not decided." : "Off until you allow it."
        }
        let when = Self.day(entry.recordedAt)
        switch (entry.decision, entry.source) {
        case (.grant, _): return "On: you allowed it on \(when)."
        case (.deny, .globalPrivacyControl): return "Off: your browser's Global Privacy Control refused it on \(when)."
        case (.deny, .objection): return "Off: you objected on \(when)."
        case (.deny, _): return "Off: you refused it on \(when)."
        }
    }

    func recommendations(_ list: RecommendationList) -> [String: Any] {
        let text: String =
            switch list.fallback {
            case nil: "Chosen for you from your activity. Open \"Why am I seeing this?\" under any of them."
            case .noPersonalizationConsent: "Not personalized, because you have not allowed personalized recommendations: these are everyone's favourites."
            case .noHistory, .unknownPerson: "Not personalized yet: we hold no activity of yours to go on. These are everyone's favourites."
            case .noModel, .noKnownItems: "Not personalized: these are everyone's favourites."
            }
        let items: [[String: Any]] = list.items.map { rec in
            var because: [(item: Item, share: Float)] = [], rank: Int?
            for reason in rec.reasons {
                switch reason {
                case .becauseYouHad(let item, let share): because.append((item, share))
                case .popular(let r): rank = r
                case .newForYou: break
                }
            }
            let why: String
            if !because.isEmpty {
                why = "Because of things you had: people who had them also liked this. What weighed most:"
            } else if let rank {
                why = "It is number \(rank) among everyone's favourites lately. Nothing about you was used to choose it."
            } else {
                why = "Chosen from your activity."
            }
            return [
                "title": rec.item.title.isEmpty ? rec.item.id : rec.item.title, "why": why,
                "because": because.map { ["title": $0.item.title.isEmpty ? $0.item.id : $0.item.title, "percent": Int(($0.share * 100).rounded())] }
            ]
        }
        return ["recommendations": items, "personalized": list.personalized ? "true" : "false", "recommendationsText": text]
    }

    /// "2026-11-29".
    static func day(_ seconds: Int64) -> String { PolicyPage.day(seconds) }

    /// "2026-11-29 18:55".
    static func time(_ seconds: Int64) -> String { PolicyPage.utc(seconds, format: "yyyy-MM-dd HH:mm") }
}
