import Foundation

/// One candidate scored on the validation part.
public struct ModelSearchTrial: Sendable {
    public var candidate: SearchCandidate
    /// NDCG@k on the validation part.
    public var score: Double
    /// Training and scoring.
    public var seconds: Double
    /// Whether it trained fully (an iALS candidate on a lower rung trained fewer iterations, so its score
    /// only ranks it against its rung and cannot win).
    public var complete: Bool
}

/// What a search tried, what won and why.
public struct ModelSearchResult: Sendable {
    public var trials: [ModelSearchTrial]
    /// The candidate to train on all the data.
    public var winner: SearchCandidate
    /// Its validation NDCG@k; nil when there was too little data to hold any out.
    public var winnerScore: Double?
    /// Popularity's and today's default iALS's validation NDCG@k, the two the winner must beat.
    public var popularityScore: Double?
    public var defaultScore: Double?
    /// People and cells in the validation part.
    public var validationPeople: Int
    public var validationCells: Int
    public var k: Int
    public var budgetSeconds: Double
    public var seconds: Double
    public var stoppedByDeadline: Bool
    /// Why the winner won, in a sentence.
    public var reason: String

    /// The search as one compact JSON object, for a model file's `search` parameter and `--json` output.
    public var json: [String: Any] {
        var object: [String: Any] = [
            "winner": ["algorithm": winner.algorithm, "settings": winner.settings] as [String: Any],
            "k": k, "validation_people": validationPeople, "validation_cells": validationCells,
            "budget_seconds": rounded(budgetSeconds), "seconds": rounded(seconds), "stopped_by_deadline": stoppedByDeadline, "reason": reason,
            "trials": trials.map { t -> [String: Any] in
                [
                    "algorithm": t.candidate.algorithm, "settings": t.candidate.settings, "ndcg": rounded(t.score, 5),
                    "seconds": rounded(t.seconds), "complete": t.complete
                ]
            }
        ]
        if let winnerScore { object["winner_ndcg"] = rounded(winnerScore, 5) }
        if let popularityScore { object["popularity_ndcg"] = rounded(popularityScore, 5) }
        if let defaultScore { object["default_ndcg"] = rounded(defaultScore, 5) }
        return object
    }

    /// `json` as text.
    public var jsonText: String {
        String(decoding: (try? JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])) ?? Data("{}".utf8), as: UTF8.self)
    }

    private func rounded(_ value: Double, _ digits: Int = 3) -> Double {
        let scale = pow(10, Double(digits))
        return (value * scale).rounded() / scale
    }
}
