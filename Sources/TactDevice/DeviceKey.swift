import Crypto
import Foundation

/// The key a device's history is encrypted under: 32 random bytes in a file of mode 0600, created on
/// first use. On iOS, keep it in the Keychain instead and pass it to `DeviceHistory` directly.
public enum DeviceKey {
    public enum Failure: Error, CustomStringConvertible {
        case unreadable(String)
        case exposed(String, mode: Int)
        case malformed(String)

        public var description: String {
            switch self {
            case .unreadable(let path): "the device key \(path) cannot be read or created; check the folder exists and is writable"
            case .exposed(let path, let mode): "the device key \(path) is readable by others (mode \(String(mode, radix: 8))); run chmod 600 \(path)"
            case .malformed(let path): "the device key \(path) is not 32 bytes; move it away to make a new one (the history it locked is then unreadable)"
            }
        }
    }

    /// The key in `path`, made (mode 0600) if the file does not exist.
    public static func loadOrCreate(at path: String) throws -> SymmetricKey {
        let fm = FileManager.default
        if !fm.fileExists(atPath: path) {
            let key = SymmetricKey(size: .bits256)
            let bytes = key.withUnsafeBytes { Data($0) }
            guard PrivateFile.write(bytes, to: path, replace: false) else { throw Failure.unreadable(path) }
            return key
        }
        let attributes = try fm.attributesOfItem(atPath: path)
        if let mode = attributes[.posixPermissions] as? Int, mode & 0o077 != 0 { throw Failure.exposed(path, mode: mode) }
        guard let data = fm.contents(atPath: path) else { throw Failure.unreadable(path) }
        guard data.count == 32 else { throw Failure.malformed(path) }
        return SymmetricKey(data: data)
    }
}
