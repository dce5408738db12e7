import TactPrivacy

/// What a device tells the server about what it played, under local differential privacy: up to
/// `count` distinct items of its history, each as one count-mean-sketch report that is ε-LDP on its
/// own (so the device spends count · ε in all). The items are picked on the device; the server learns
/// nothing it could tie to one of them with confidence beyond what ε allows.
public enum PopularityTelemetry {
    public static func reports(
        items: [String], count: Int, sketch: CountMeanSketch,
        using generator: inout some RandomNumberGenerator
    ) -> [CountMeanSketch.Report] {
        pick(items: items, count: count, using: &generator).map { sketch.report($0, using: &generator) }
    }

    /// Up to `count` distinct items of the history, uniformly at random (kept on the device).
    public static func pick(items: [String], count: Int, using generator: inout some RandomNumberGenerator) -> [String] {
        var pool = Array(Set(items)).sorted()
        var picked: [String] = []
        while picked.count < count, !pool.isEmpty {
            picked.append(pool.remove(at: Int(generator.next() % UInt64(pool.count))))
        }
        return picked
    }
}
