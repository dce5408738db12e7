import Crypto
import Foundation
import PostgresNIO
import TactCore

/// PostgresSession's part of `CatalogReader` and `CatalogWriter`: the catalog: items, their rows, who interacted with each, and the catalog's version.
extension PostgresSession {
    func itemRow(for id: String) throws -> ItemRow? {
        try int("SELECT id FROM items WHERE external_id = $1", [.text(id)])
    }

    func itemID(of row: ItemRow) throws -> String? {
        try rows("SELECT external_id FROM items WHERE id = $1", [.int(row)]).first.map { try $0.text(0) }
    }

    func item(for id: String) throws -> Item? {
        try rows("SELECT external_id, title, tags, created_at FROM items WHERE external_id = $1", [.text(id)]).first.map { try Self.item(from: $0, offset: 0) }
    }

    func items() throws -> [(row: ItemRow, item: Item)] {
        try rows("SELECT id, external_id, title, tags, created_at FROM items ORDER BY id").map { (try $0.int(0), try Self.item(from: $0, offset: 1)) }
    }

    func catalogVersion() throws -> Int64 {
        try int("SELECT version FROM catalog_version WHERE id = 1") ?? 0
    }

    func registeredItems() throws -> [(row: ItemRow, item: Item)] {
        try rows("SELECT id, external_id, title, tags, created_at FROM items WHERE registered ORDER BY id").map {
            (try $0.int(0), try Self.item(from: $0, offset: 1))
        }
    }

    static func item(from row: PostgresRandomAccessRow, offset: Int) throws -> Item {
        guard let tags = try? JSONDecoder().decode([String].self, from: Data(try row.text(offset + 2).utf8)) else {
            throw StoreError.corrupt(what: "item tags")
        }
        return Item(id: try row.text(offset), title: try row.text(offset + 1), tags: tags, createdAt: try row.optionalInt(offset + 3))
    }

    func itemHistory(of item: ItemRow) throws -> [(subject: SubjectRow, kind: InteractionKind, value: Double)] {
        try rowKindValues("SELECT subject_id, kind, value FROM interactions WHERE item_id = $1", key: item).map {
            (subject: $0.row, kind: $0.kind, value: $0.value)
        }
    }

    func itemRows(for ids: [String]) throws -> [String: ItemRow] {
        guard !ids.isEmpty else { return [:] }
        var result: [String: ItemRow] = [:]
        for row in try rows("SELECT external_id, id FROM items WHERE external_id = ANY($1::text[])", [.texts(ids)]) { result[try row.text(0)] = try row.int(1) }
        return result
    }

    func itemHistories(of items: [ItemRow]) throws -> [ItemRow: [(subject: SubjectRow, kind: InteractionKind, value: Double)]] {
        guard !items.isEmpty else { return [:] }
        var result: [ItemRow: [(subject: SubjectRow, kind: InteractionKind, value: Double)]] = [:]
        for row in try rows("SELECT item_id, subject_id, kind, value FROM interactions WHERE item_id = ANY($1::bigint[])", [.ints(items)]) {
            guard let kind = InteractionKind(rawValue: try row.text(2)) else { throw StoreError.corrupt(what: "an interaction's kind") }
            result[try row.int(0), default: []].append((try row.int(1), kind, try row.double(3)))
        }
        return result
    }

    func upsertItem(_ item: Item) throws -> ItemRow {
        let tags = String(decoding: try JSONEncoder().encode(item.tags), as: UTF8.self)
        guard
            let row = try rows(
                """
                INSERT INTO items (external_id, title, tags, created_at, registered) VALUES ($1, $2, $3, $4, TRUE)
                ON CONFLICT (external_id) DO UPDATE SET title = excluded.title, tags = excluded.tags, created_at = excluded.created_at, registered = TRUE
                RETURNING id
                """, [.text(item.id), .text(item.title), .text(tags), .int(item.createdAt)]
            ).first
        else {
            throw StoreError.corrupt(what: "item \(item.id) vanished after insert")
        }
        return try row.int(0)
    }

    func ensureItem(id: String) throws -> ItemRow {
        if let row = try itemRow(for: id) { return row }
        if let row = try rows("INSERT INTO items (external_id) VALUES ($1) ON CONFLICT (external_id) DO NOTHING RETURNING id", [.text(id)]).first {
            return try row.int(0)
        }
        // Another server added it between the two statements.
        guard let row = try itemRow(for: id) else { throw StoreError.corrupt(what: "item \(id) vanished after insert") }
        return row
    }

    func deleteItem(id: String) throws -> Int? {
        guard let row = try itemRow(for: id) else { return nil }
        let removed = try execute("DELETE FROM interactions WHERE item_id = $1", [.int(row)])
        try execute("DELETE FROM items WHERE id = $1", [.int(row)])
        return removed
    }
}
