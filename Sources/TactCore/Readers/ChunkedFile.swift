#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file read sequentially in fixed-size chunks, so that large inputs never sit in memory whole.
#if canImport(Glibc)
    private let systemRead = Glibc.read
#elseif canImport(Darwin)
    private let systemRead = Darwin.read
#endif

final class ChunkedFile {
    private let fd: Int32
    let path: String
    let chunkSize: Int

    init(path: String, chunkSize: Int = 1 << 20) throws {
        self.path = path
        self.chunkSize = chunkSize
        var st = stat()
        guard stat(path, &st) == 0 else {
            throw InputError(file: path, message: "cannot open: \(String(cString: strerror(errno))); check the path")
        }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            throw InputError(file: path, message: "is a directory; give a file (or a MovieLens directory to 'import interactions')")
        }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw InputError(file: path, message: "cannot open: \(String(cString: strerror(errno)))")
        }
        self.fd = fd
    }

    deinit { close(fd) }

    /// Appends up to one chunk to `buffer`; returns the number of bytes read (0 at end of file).
    func read(appendingTo buffer: inout [UInt8]) throws -> Int {
        let old = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: chunkSize))
        let n = buffer.withUnsafeMutableBytes { raw in
            systemRead(fd, raw.baseAddress! + old, chunkSize)
        }
        if n < 0 {
            buffer.removeLast(chunkSize)
            throw InputError(file: path, message: "read failed: \(String(cString: strerror(errno)))")
        }
        buffer.removeLast(chunkSize - n)
        return n
    }
}
