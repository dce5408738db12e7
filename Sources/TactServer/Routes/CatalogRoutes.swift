import Foundation
import Hummingbird
import TactCore
import TactEngine
import TactPrivacy
import TactStore

/// The catalog: list, read, create or update, delete.
struct CatalogRoutes {
    let state: ServerState

    /// The fields of an item a client sends (its id is in the path or in `id`).
    struct ItemBody: Decodable {
        var id: String?
        var title: String?
        var tags: [String]?
        var createdAt: Int64?
    }

    struct ItemBatch: Decodable {
        var items: [ItemBody]
    }

    struct Page: Encodable {
        var items: [ItemJSON]
        /// Pass as `after` for the next page; absent on the last page.
        var next: String?
    }

    struct Deleted: Encodable {
        var deleted: String
        var eventsRemoved: Int
    }

    struct Upserted: Encodable {
        var upserted: Int
    }

    func register(on router: Router<TactRequestContext>) {
        router.route(.get, "/v1/items", .key(.catalog), state: state) { request, context in try list(request, context) }
        router.route(.post, "/v1/items", .key(.catalog), state: state) { request, context in try await upsertBatch(request, context) }
        router.route(.get, "/v1/items/{item}", .key([.catalog, .recommend]), state: state) { _, context in try read(context) }
        router.route(.put, "/v1/items/{item}", .key(.catalog), state: state) { request, context in try await upsert(request, context) }
        router.route(.delete, "/v1/items/{item}", .key(.catalog), state: state) { _, context in try await delete(context) }
    }

    func list(_ request: Request, _ context: TactRequestContext) throws -> Response {
        let limit = try request.queryInt("limit", default: 100, range: 1...1000)
        let after = request.uri.queryParameters.get("after")
        state.catalog.noticeOutsideChanges()
        let items = state.catalog.page(after: after, limit: limit)
        let next = items.count == limit ? items.last?.id : nil
        return try JSONResponse.make(Page(items: items.map(ItemJSON.init), next: next))
    }

    func read(_ context: TactRequestContext) throws -> Response {
        let id = try context.pathValue("item")
        state.catalog.noticeOutsideChanges()
        guard let item = state.catalog.item(id) else { throw Problem.notFound("no item '\(id.prefix(80))' in the catalog", field: "item") }
        return try JSONResponse.make(ItemJSON(item))
    }

    func upsert(_ request: Request, _ context: TactRequestContext) async throws -> Response {
        let principal = try context.caller
        let id = try context.pathValue("item")
        let body = try await request.decodeJSON(ItemBody.self, limit: state.settings.maxBodyBytes)
        if let bodyID = body.id, bodyID != id { throw Problem.badRequest("the body's id '\(bodyID.prefix(80))' differs from the path's", field: "id") }
        let item = try Self.validate(body, id: id, field: "")
        let existed = state.catalog.item(id) != nil
        let stored = try await write([item], actor: principal.auditActor)
        return try JSONResponse.make(ItemJSON(stored[0]), status: existed ? .ok : .created)
    }

    func upsertBatch(_ request: Request, _ context: TactRequestContext) async throws -> Response {
        let principal = try context.caller
        let batch = try await request.decodeJSON(ItemBatch.self, limit: state.settings.maxBodyBytes)
        guard !batch.items.isEmpty, batch.items.count <= 10_000 else { throw Problem.badRequest("send 1 to 10000 items", field: "items") }
        let items = try batch.items.enumerated().map { i, body in
            guard let id = body.id else { throw Problem.badRequest("the field 'items[\(i)].id' is required", field: "items[\(i)].id") }
            return try Self.validate(body, id: id, field: "items[\(i)].")
        }
        _ = try await write(items, actor: principal.auditActor)
        return try JSONResponse.make(Upserted(upserted: items.count))
    }

    func delete(_ context: TactRequestContext) async throws -> Response {
        let principal = try context.caller
        let id = try context.pathValue("item")
        let engine = state.engine
        let removed = try await BlockingWork.run(timeout: state.settings.requestTimeoutSeconds) { () throws -> Int? in
            try engine.catalog.delete(id, actor: principal.auditActor)
        }
        guard let removed else { throw Problem.notFound("no item '\(id.prefix(80))' in the catalog", field: "item") }
        state.catalog.remove(id)
        state.cache?.forgetAll()
        return try JSONResponse.make(Deleted(deleted: id, eventsRemoved: removed))
    }

    /// Stores the items with personal data in their titles and tags replaced (`CatalogScrubber`); a write that
    /// brought some is flagged to the Guard once, here, rather than by every answer that would have shown it.
    /// Returns the items as stored.
    private func write(_ submitted: [Item], actor: String) async throws -> [Item] {
        let scrubber = CatalogScrubber()
        var found: [PIIType: Int] = [:]
        let items = submitted.map { item in
            let (clean, hits) = scrubber.scrub(item)
            for (type, n) in hits { found[type, default: 0] += n }
            return clean
        }
        let engine = state.engine
        let detail = "items=\(items.count)" + CatalogScrubber.auditDetail(found)
        try await BlockingWork.run(timeout: state.settings.requestTimeoutSeconds) {
            try engine.catalog.upsert(items, actor: actor, detail: detail)
        }
        for item in items { state.catalog.put(item) }
        state.cache?.forgetAll()
        if !found.isEmpty { state.guardian.flagCatalogWrite(principal: actor, found: found, items: items.count) }
        return items
    }

    static func validate(_ body: ItemBody, id: String, field prefix: String) throws -> Item {
        guard !id.isEmpty, id.unicodeScalars.count <= 256 else { throw Problem.badRequest("an item id must be 1 to 256 characters long", field: prefix + "id") }
        if Identifier.containsControl(id) { throw Problem.badRequest("an item id must not contain control characters", field: prefix + "id") }
        let title = body.title ?? ""
        guard title.unicodeScalars.count <= 1_000 else { throw Problem.badRequest("title is longer than 1000 characters", field: prefix + "title") }
        let tags = body.tags ?? []
        guard tags.count <= 100 else { throw Problem.badRequest("an item has at most 100 tags", field: prefix + "tags") }
        for (i, tag) in tags.enumerated() where tag.isEmpty || tag.unicodeScalars.count > 100 || Identifier.containsControl(tag) {
            throw Problem.badRequest("a tag must be 1 to 100 characters long, without control characters", field: prefix + "tags[\(i)]")
        }
        return Item(id: id, title: title, tags: tags, createdAt: body.createdAt)
    }
}
