import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes files only their owner can read, created with mode 0600 from the start (never written
/// first and restricted after, which would leave a moment when others could read them).
enum PrivateFile {
    /// Creates `path` (which must not exist, or with `replace` is truncated) with mode 0600 and writes `data`.
    static func write(_ data: Data, to path: String, replace: Bool) -> Bool {
        let flags = O_WRONLY | O_CREAT | (replace ? O_TRUNC : O_EXCL)
        let fd = open(path, flags, 0o600)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        guard fchmod(fd, 0o600) == 0 else { return false }  // a replaced file keeps its old mode otherwise
        return data.withUnsafeBytes { raw -> Bool in
            var offset = 0
            while offset < raw.count {
                let n = systemWrite(fd, raw.baseAddress! + offset, raw.count - offset)
                if n <= 0 { return false }
                offset += n
            }
            return true
        }
    }
}

#if canImport(Glibc)
    private let systemWrite = Glibc.write
#elseif canImport(Darwin)
    private let systemWrite = Darwin.write
#endif
