import Crypto
import Foundation

/// A person's history, kept on their own device: a file sealed with AES-GCM under the device key,
/// rewritten whole and atomically on each change (a history is small), mode 0600. Nothing in it
/// leaves the device: ranking and federated training read it locally.
public struct DeviceHistory: Sendable {
    public struct Entry: Sendable, Equatable, Codable {
        public var item: String
        public var value: Float
        public var at: Int64
        public init(item: String, value: Float = 1, at: Int64) {
            self.item = item
            self.value = value
            self.at = at
        }
    }

    public enum Failure: Error, CustomStringConvertible {
        case locked(String)
        case unwritable(String)

        public var description: String {
            switch self {
            case .locked(let path): "\(path) cannot be opened with this device key (a different key, or the file was altered)"
            case .unwritable(let path): "\(path) cannot be written; check the folder exists and is writable"
            }
        }
    }

    static let label = Data("tact device history v1".utf8)

    public let path: String
    private let key: SymmetricKey
    public private(set) var entries: [Entry]

    /// Opens the history at `path` (empty if there is no file yet).
    public init(path: String, key: SymmetricKey) throws {
        self.path = path
        self.key = key
        guard let sealed = FileManager.default.contents(atPath: path) else { entries = []; return }
        guard let box = try? AES.GCM.SealedBox(combined: sealed), let plain = try? AES.GCM.open(box, using: key, authenticating: Self.label),
            let decoded = try? JSONDecoder().decode([Entry].self, from: plain)
        else { throw Failure.locked(path) }
        entries = decoded
    }

    /// Adds an interaction and saves.
    public mutating func record(_ entry: Entry) throws {
        entries.append(entry)
        try save()
    }

    /// Forgets everything about `item` (or everything, with nil) and saves.
    public mutating func forget(item: String? = nil) throws {
        if let item { entries.removeAll { $0.item == item } } else { entries.removeAll() }
        try save()
    }

    /// The summed value per item.
    public func totals() -> [String: Float] {
        entries.reduce(into: [:]) { $0[$1.item, default: 0] += $1.value }
    }

    func save() throws {
        let plain = try JSONEncoder().encode(entries)
        let sealed = try AES.GCM.seal(plain, using: key, authenticating: Self.label).combined!
        let temporary = path + ".tmp"
        guard PrivateFile.write(sealed, to: temporary, replace: true) else { throw Failure.unwritable(path) }
        guard rename(temporary, path) == 0 else { throw Failure.unwritable(path) }
    }
}
