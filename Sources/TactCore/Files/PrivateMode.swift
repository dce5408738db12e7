import Foundation

/// Keeps files private to their owner: every file in a data directory is 0600 and every folder 0700,
/// whichever program or library made it and whatever the umask was.
public enum PrivateMode {
    /// Takes the group's and others' permissions away from the file or folder at `path` (files become at
    /// most 0600, folders 0700). Returns false when the path does not exist or cannot be changed.
    @discardableResult
    public static func apply(to path: String) -> Bool {
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) != S_IFLNK else { return false }
        let isDirectory = (info.st_mode & S_IFMT) == S_IFDIR
        let wanted: mode_t = isDirectory ? 0o700 : 0o600
        guard info.st_mode & 0o7777 != wanted else { return true }
        return chmod(path, wanted) == 0
    }

    /// `apply(to:)` on the folder at `path` and on everything inside it (links are left as they are).
    /// Returns the paths it had to change, relative to `path`.
    @discardableResult
    public static func applyToTree(_ path: String) -> [String] {
        var changed: [String] = []
        if isOpen(path) { changed.append(".") }
        apply(to: path)
        guard let names = FileManager.default.enumerator(atPath: path) else { return changed }
        while let name = names.nextObject() as? String {
            let full = path + "/" + name
            if isOpen(full) { changed.append(name) }
            apply(to: full)
        }
        return changed
    }

    /// Creates an empty file at `path` readable and writable by its owner alone, unless it exists.
    public static func createFile(_ path: String) {
        let fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
        if fd >= 0 { close(fd) }
    }

    /// Whether the group or others may do anything with the file or folder at `path`.
    public static func isOpen(_ path: String) -> Bool {
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) != S_IFLNK else { return false }
        return info.st_mode & 0o077 != 0
    }
}
