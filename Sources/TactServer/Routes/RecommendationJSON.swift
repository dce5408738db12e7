import TactEngine

/// Why an item is in a list, as the API shows it.
struct ReasonJSON {
    /// "because-you-had" (an item from the person's history), "popular", or "new-for-you" (a new item
    /// chosen by exploration, for how well its tags match the history; `share` is that match, 0...1).
    var kind: String
    var item: ItemJSON?
    /// Share of the score this history item accounts for (0...1).
    var share: Float?
    /// Rank among everyone's favourites, for "popular".
    var rank: Int?

    init(_ reason: RecommendationReason) {
        switch reason {
        case .becauseYouHad(let item, let share): self.kind = "because-you-had"; self.item = ItemJSON(item); self.share = share
        case .popular(let rank): self.kind = "popular"; self.rank = rank
        case .newForYou(let match): self.kind = "new-for-you"; self.share = match
        }
    }
}

/// One item of a list, as the API shows it.
struct RecommendedItemJSON {
    var item: ItemJSON
    var score: Float
    var reasons: [ReasonJSON]

    init(_ recommended: RecommendedItem) {
        item = ItemJSON(recommended.item)
        score = recommended.score
        reasons = recommended.reasons.map(ReasonJSON.init)
    }
}

/// The recommendation answers as JSON, written directly (the hot path; see `JSONWriter`).
extension ItemJSON: JSONWritable {
    func write(to json: inout JSONWriter) {
        json.beginObject()
        json.key("id"); json.string(id)
        json.key("title"); json.string(title)
        json.key("tags"); json.beginArray(); for tag in tags { json.string(tag) }; json.endArray()
        if let createdAt { json.key("createdAt"); json.number(createdAt) }
        json.endObject()
    }
}

extension ReasonJSON: JSONWritable {
    func write(to json: inout JSONWriter) {
        json.beginObject()
        json.key("kind"); json.string(kind)
        if let item {
            // Only what names the history item: the answer stays small (it is on the hot path).
            json.key("item")
            json.beginObject()
            json.key("id"); json.string(item.id)
            json.key("title"); json.string(item.title)
            json.endObject()
        }
        if let share { json.key("share"); json.number(share) }
        if let rank { json.key("rank"); json.number(rank) }
        json.endObject()
    }
}

extension RecommendedItemJSON: JSONWritable {
    func write(to json: inout JSONWriter) {
        json.beginObject()
        json.key("item"); item.write(to: &json)
        json.key("score"); json.number(score)
        json.key("reasons"); json.beginArray(); for r in reasons { r.write(to: &json) }; json.endArray()
        json.endObject()
    }
}

extension RecommendationRoutes.Recommendations: JSONWritable {
    func write(to json: inout JSONWriter) {
        json.beginObject()
        json.key("recommendationId"); json.string(recommendationId)
        json.key("personalized"); json.bool(personalized)
        if let fallbackReason { json.key("fallbackReason"); json.string(fallbackReason) }
        json.key("items")
        json.raw(items)
        json.key("model")
        json.beginObject()
        json.key("version"); json.number(model.version)
        json.key("algorithm"); json.string(model.algorithm)
        json.key("trainedAt"); json.number(model.trainedAt)
        json.endObject()
        json.endObject()
    }
}

extension RecommendationRoutes.Recommendations {
    /// The items array as JSON bytes (what the answer cache keeps).
    static func render(_ items: [RecommendedItem]) -> [UInt8] {
        var json = JSONWriter()
        json.beginArray()
        for item in items { RecommendedItemJSON(item).write(to: &json) }
        json.endArray()
        return json.bytes
    }
}

extension RecommendationRoutes.Placements: JSONWritable {
    func write(to json: inout JSONWriter) {
        json.beginObject()
        json.key("recommendationId"); json.string(recommendationId)
        json.key("placements"); json.beginArray(); for item in placements { item.write(to: &json) }; json.endArray()
        if let reason { json.key("reason"); json.string(reason) }
        json.endObject()
    }
}
