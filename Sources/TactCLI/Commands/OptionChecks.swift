import ArgumentParser

/// Limits shared by the commands' `validate()`, so that a flag's bad value is a usage error naming the flag,
/// never a crash, a hang or a huge allocation further in.
enum OptionChecks {
    /// The most worker threads a flag may ask for.
    static let maximumThreads = 1024
    /// The longest ranked list a flag may ask for.
    static let maximumListLength = 10_000

    /// Worker threads: 0 (one per processor) up to `maximumThreads`.
    static func threads(_ n: Int, flag: String = "--threads") throws {
        guard (0...maximumThreads).contains(n) else {
            throw ValidationError("\(flag) must be between 0 (one per processor) and \(maximumThreads)")
        }
    }

    /// The length of a ranked list: 1 up to `maximumListLength`.
    static func listLength(_ k: Int, flag: String = "--k") throws {
        guard (1...maximumListLength).contains(k) else { throw ValidationError("\(flag) must be between 1 and \(maximumListLength)") }
    }

    /// A probability strictly between 0 and 1, such as a δ.
    static func probability(_ x: Double, flag: String) throws {
        guard x > 0, x < 1 else { throw ValidationError("\(flag) must be between 0 and 1 (exclusive)") }
    }

    /// A positive, finite number.
    static func positive(_ x: Double, flag: String) throws {
        guard x > 0, x.isFinite else { throw ValidationError("\(flag) must be a positive number") }
    }
}
