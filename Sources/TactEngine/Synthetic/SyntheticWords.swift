/// The words synthetic data is made of: taste-cluster tags, title parts and free-text contexts.
/// All personal-looking data here is fictitious: example.com addresses and 555-01xx numbers.
enum SyntheticWords {
    /// Taste clusters, used as each item's first tag; cluster `c` is named `clusterNames[c % count]`.
    static let clusterNames = [
        "jazz", "indie rock", "ambient", "hip hop", "classical", "folk",
        "electronic", "soul", "metal", "latin", "country", "reggae"
    ]

    /// Secondary tags: moods and settings, added to some items after the cluster tag.
    static let moods = [
        "chill", "upbeat", "melancholy", "live", "acoustic", "instrumental",
        "late night", "workout", "focus", "party", "rainy day", "road trip"
    ]

    static let adjectives = [
        "Quiet", "Neon", "Golden", "Silver", "Broken", "Electric", "Velvet", "Hidden",
        "Distant", "Midnight", "Paper", "Crimson", "Wild", "Gentle", "Hollow", "Bright",
        "Restless", "Amber", "Frozen", "Secret", "Lonely", "Endless", "Salt", "Copper"
    ]

    static let nouns = [
        "Harbor", "Afternoon", "Garden", "River", "Highway", "Lanterns", "Echoes", "Window",
        "Mountain", "Letters", "Orchard", "Station", "Tides", "Cathedral", "Summer", "Engine",
        "Meadow", "Skyline", "Dreams", "Lighthouse", "Carnival", "Winter", "Horizon", "Streets"
    ]

    /// The number of title shapes `title(shape:adjective:noun:)` knows.
    static let titleShapeCount = 5

    /// A title such as "The Quiet Harbor" or "Neon Afternoon, Part II"; `shape` is in 0..<titleShapeCount.
    static func title(shape: Int, adjective: String, noun: String) -> String {
        switch shape {
        case 0: return "The \(adjective) \(noun)"
        case 1: return "\(adjective) \(noun)"
        case 2: return "\(noun) of the \(adjective)"
        case 3: return "\(adjective) \(noun), Part II"
        default: return "Songs for the \(adjective) \(noun)"
        }
    }

    /// Everyday contexts without personal data; some hold commas and quotes on purpose.
    static let contexts = [
        "on the train",
        "gift for my sister, she loves it",
        "late night study session",
        "recommended by a friend",
        "my kid said \"again, again!\"",
        "background music while cooking",
        "saw it on the radio, had to check",
        "for the road trip",
        "rainy sunday",
        "workout playlist",
        "not my thing",
        "searched for \"something calm\""
    ]

    /// First and last names for fake addresses.
    static let firstNames = ["jane", "john", "maria", "ali", "chen", "priya", "lukas", "amara", "sam", "olga"]
    static let lastNames = ["doe", "roe", "smith", "garcia", "nguyen", "kowalski", "okafor", "berg", "silva", "tanaka"]

    /// Context shapes holding fake personal data a PII scrubber should catch.
    /// `{email}` becomes first.last@example.com and `{phone}` a 555-01xx number.
    static let personalPatterns = [
        "email me at {email}",
        "call {phone}",
        "send the receipt to {email}, thanks",
        "text me at {phone} when it's back in stock",
        "this is {name}, my number is {phone}"
    ]
}
