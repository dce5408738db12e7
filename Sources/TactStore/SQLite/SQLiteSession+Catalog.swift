import Crypto
import Foundation
import GRDB
import GRDBSQLite
import TactCore

/// SQLiteSession's part of `CatalogReader` and `CatalogWriter`: the catalog: items, their rows, who interacted with each, and the catalog's version.
extension SQLiteSession {
    func itemRow(for id: String) throws -> ItemRow? {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM items WHERE external_id = ?"), arguments: [id])
    }

    func itemID(of row: ItemRow) throws -> String? {
        try String.fetchOne(db.cachedStatement(sql: "SELECT external_id FROM items WHERE id = ?"), arguments: [row])
    }

    func item(for id: String) throws -> Item? {
        guard let row = try Row.fetchOne(db, sql: "SELECT external_id, title, tags, created_at FROM items WHERE external_id = ?", arguments: [id]) else {
            return nil
        }
        return try Self.item(from: row, offset: 0)
    }

    func items() throws -> [(row: ItemRow, item: Item)] {
        let cursor = try Row.fetchCursor(db, sql: "SELECT id, external_id, title, tags, created_at FROM items ORDER BY id")
        var result: [(row: ItemRow, item: Item)] = []
        while let row = try cursor.next() { result.append((row[0], try Self.item(from: row, offset: 1))) }
        return result
    }

    func catalogVersion() throws -> Int64 {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT version FROM catalog_version WHERE id = 1")) ?? 0
    }

    func registeredItems() throws -> [(row: ItemRow, item: Item)] {
        let cursor = try Row.fetchCursor(db, sql: "SELECT id, external_id, title, tags, created_at FROM items WHERE registered = 1 ORDER BY id")
        var result: [(row: ItemRow, item: Item)] = []
        while let row = try cursor.next() { result.append((row[0], try Self.item(from: row, offset: 1))) }
        return result
    }

    static func item(from row: Row, offset: Int) throws -> Item {
        let tagsJSON: String = row[offset + 2]
        guard let tags = try? JSONDecoder().decode([String].self, from: Data(tagsJSON.utf8)) else {
            throw StoreError.corrupt(what: "item tags")
        }
        return Item(id: row[offset], title: row[offset + 1], tags: tags, createdAt: row[offset + 3])
    }

    func itemHistory(of item: ItemRow) throws -> [(subject: SubjectRow, kind: InteractionKind, value: Double)] {
        try rowKindValues(sql: "SELECT subject_id, kind, value FROM interactions WHERE item_id = ?", key: item).map {
            (subject: $0.row, kind: $0.kind, value: $0.value)
        }
    }

    func upsertItem(_ item: Item) throws -> ItemRow {
        let tags = String(decoding: try JSONEncoder().encode(item.tags), as: UTF8.self)
        try db.execute(
            sql: """
                INSERT INTO items (external_id, title, tags, created_at, registered) VALUES (?, ?, ?, ?, 1)
                ON CONFLICT (external_id) DO UPDATE SET title = excluded.title, tags = excluded.tags, created_at = excluded.created_at, registered = 1
                """, arguments: [item.id, item.title, tags, item.createdAt])
        guard let row = try itemRow(for: item.id) else { throw StoreError.corrupt(what: "item \(item.id) vanished after insert") }
        return row
    }

    func ensureItem(id: String) throws -> ItemRow {
        if let row = try itemRow(for: id) { return row }
        try db.cachedStatement(sql: "INSERT INTO items (external_id) VALUES (?)").execute(arguments: [id])
        return db.lastInsertedRowID
    }

    func deleteItem(id: String) throws -> Int? {
        guard let row = try itemRow(for: id) else { return nil }
        try db.execute(sql: "DELETE FROM interactions WHERE item_id = ?", arguments: [row])
        let removed = db.changesCount
        try db.execute(sql: "DELETE FROM items WHERE id = ?", arguments: [row])
        return removed
    }
}
