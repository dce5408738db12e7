/// What a key is for, and so the shape of access the Guard expects of it. A shape the role does not
/// have is the signal, not volume alone: an app reading thousands of people a minute is doing its
/// job, a support desk doing the same is not.
///
/// | role | expected shape |
/// | --- | --- |
/// | app | reads and writes many people, mostly returning ones, at its own steady rate |
/// | batch | reads every person once per run, in its declared hours only; no writes, exports or erasures |
/// | device | one person only: the first it reads is its own |
/// | support | a few people at a time, one by one (200 new ones a day at most); may export and erase |
/// | analyst | aggregates only: no single person's data |
/// | admin | anything; held to its own baselines |
public enum KeyRole: String, Sendable, CaseIterable, Codable {
    case app, batch, device, support, analyst, admin

    /// The role a key has when its creator named none.
    public static let standard = KeyRole.app

    /// The role names, for help texts: "app, batch, device, support, analyst, admin".
    public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// The expected shape, in words (help texts, the console, docs).
    public var shape: String {
        switch self {
        case .app: "an app backend: reads many people, mostly returning ones, at its own steady rate"
        case .batch: "a batch job: reads every person once per run, in its declared hours only"
        case .device: "a device: reads one person only, its own"
        case .support: "a support desk: reads a few people, one at a time; may export and erase"
        case .analyst: "an analyst: aggregates only, no single person's data"
        case .admin: "an administrator: anything, held to its own baselines"
        }
    }

    /// The kind of principal, in a few words, for explanations: "an app backend".
    public var kindOfPrincipal: String {
        switch self {
        case .app: "an app backend"
        case .batch: "a batch job"
        case .device: "a device"
        case .support: "a support desk"
        case .analyst: "an analyst"
        case .admin: "an administrator"
        }
    }

    /// The kinds of access to one person's data the role has; any other is a role violation.
    public var kinds: Set<AccessEvent.Kind> {
        switch self {
        case .app: [.read, .write]
        case .batch: [.read]
        case .device: [.read, .write, .export]
        case .support: [.read, .write, .export, .erase]
        case .analyst: []
        case .admin: [.read, .write, .export, .erase]
        }
    }

    /// The most a principal of this role reads of persons it did not read in the last day, as a share
    /// of its reads: an app's audience comes back. Nil: no such expectation (a batch job reads everyone
    /// once, a support desk meets a new person with each case, a device reads one person).
    public var freshShareAtMost: Double? { self == .app ? 0.95 : nil }

    /// The most a principal of this role reads of persons with no event in the last days (`ActivityMemory`), as
    /// a share of its reads, and of persons it never sent an event for, once it sends events: an app serves the
    /// people using it. Nil: no such expectation.
    public var inactiveShareAtMost: Double? { self == .app ? 0.5 : nil }

    /// The most persons never read before a principal of this role needs in 24 hours, unless its key
    /// names its own (`--guard-daily-persons`); nil: learned from its own past days.
    public var dailyPersonsAtMost: Int? { self == .support ? 200 : nil }

    /// Whether reading many people in a window is this role's ordinary work (a batch job), so that volume
    /// and enumeration are not held against it; its declared hours and kinds bound it instead.
    public var readsEveryone: Bool { self == .batch }

    /// Whether the role reads one person only (the first it reads).
    public var onePerson: Bool { self == .device }
}
