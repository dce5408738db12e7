import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A private folder for one Spark training run (mode 0700, made by `mkdtemp` under the system's
/// temporary folder): the exported matrix, the driver, Spark's scratch files and the factors.
/// It holds personal data (pseudonymous, but personal), so it is removed as soon as the run ends.
struct SparkWorkDirectory {
    let path: String

    static func create() throws -> SparkWorkDirectory {
        var template = Array((NSTemporaryDirectory() as NSString).appendingPathComponent("tact-spark-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard made != nil else {
            throw SparkError.workDirectory(
                reason: "cannot create a private folder in \(NSTemporaryDirectory()): \(String(cString: strerror(errno))); set TMPDIR to a writable folder")
        }
        let path = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        // mkdtemp makes it 0700 already; say so explicitly, whatever the umask.
        guard chmod(path, 0o700) == 0 else {
            try? FileManager.default.removeItem(atPath: path)
            throw SparkError.workDirectory(reason: "cannot make \(path) private: \(String(cString: strerror(errno)))")
        }
        return SparkWorkDirectory(path: path)
    }

    func file(_ name: String) -> String { path + "/" + name }

    /// Removes the folder and everything in it.
    func remove() { try? FileManager.default.removeItem(atPath: path) }
}
