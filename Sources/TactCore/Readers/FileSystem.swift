import Foundation

/// Small file-system questions the readers ask.
enum FileSystem {
    static func isDirectory(_ path: String) -> Bool {
        var dir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &dir) && dir.boolValue
    }

    static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    static func firstBytes(_ path: String, count: Int) throws -> [UInt8] {
        guard let h = FileHandle(forReadingAtPath: path) else {
            throw InputError(file: path, message: "cannot open; check the path and its permissions")
        }
        defer { try? h.close() }
        return [UInt8]((try? h.read(upToCount: count)) ?? Data())
    }
}
