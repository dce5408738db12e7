import Foundation
import TactRecommend

/// One setting the search may train: a model spec, with the settings people read and a model file
/// keeps (the same keys `tact train`'s flags write), and whether its iterations can be cut short to
/// score it cheaply (iALS; the others train in one pass).
public struct SearchCandidate: Sendable {
    public var spec: ModelSpec

    public init(_ spec: ModelSpec) { self.spec = spec }

    public var algorithm: String { spec.name }

    /// The settings that tell this candidate apart, by flag name.
    public var settings: [String: String] {
        switch spec.training {
        case let als as ALSConfiguration:
            return [
                "factors": "\(als.factors)", "iterations": "\(als.iterations)", "regularization": Self.short(als.regularization),
                "alpha": Self.short(als.alpha)
            ]
        case let ease as EASEConfiguration: return ["regularization": Self.short(ease.regularization)]
        case let knn as ItemKNNConfiguration: return ["weighting": knn.weighting.rawValue, "neighbours": "\(knn.neighbours)"]
        case let blend as BlendConfiguration:
            return SearchCandidate(.als(blend.als)).settings.merging([
                "ease_regularization": Self.short(blend.ease.regularization),
                "ease_weight": Self.short(blend.easeWeight)
            ]) { a, _ in a }
        default: return [:]
        }
    }

    /// One line for people: `als factors 128, regularization 50, alpha 5`.
    public var label: String {
        let order = ["factors", "regularization", "alpha", "weighting", "neighbours", "ease_regularization", "ease_weight"]
        let s = settings
        let text = order.compactMap { key in s[key].map { "\(key) \($0)" } }.joined(separator: ", ")
        return text.isEmpty ? algorithm : "\(algorithm) \(text)"
    }

    /// This candidate with its iterations cut to `iterations` (iALS); other algorithms are unchanged.
    func atIterations(_ iterations: Int) -> SearchCandidate {
        guard var als = spec.training as? ALSConfiguration else { return self }
        als.iterations = iterations
        return SearchCandidate(.als(als))
    }

    /// Whether `iterations` changes what this candidate trains.
    var hasFidelity: Bool { spec.training is ALSConfiguration }

    /// The candidate a model file's algorithm and settings describe (a previous search's winner), or nil
    /// when they name something the search does not try.
    public static func from(algorithm: String, settings: [String: String], seed: UInt64, threads: Int) -> SearchCandidate? {
        switch algorithm {
        case "als":
            var c = ALSConfiguration()
            guard let factors = settings["factors"].flatMap(Int.init), (1...1024).contains(factors),
                let regularization = settings["regularization"].flatMap(Float.init), regularization >= 0, regularization.isFinite,
                let alpha = settings["alpha"].flatMap(Float.init), alpha >= 0, alpha.isFinite
            else { return nil }
            c.factors = factors
            c.regularization = regularization
            c.alpha = alpha
            c.seed = seed
            c.threads = threads
            return SearchCandidate(.als(c))
        case "ease":
            guard let regularization = settings["regularization"].flatMap(Float.init), regularization > 0, regularization.isFinite else { return nil }
            return SearchCandidate(ModelSpec(EASEConfiguration(regularization: regularization, threads: threads)))
        case "knn":
            var c = ItemKNNConfiguration()
            guard let weighting = settings["weighting"].flatMap(ItemKNNConfiguration.Weighting.init(rawValue:)),
                let neighbours = settings["neighbours"].flatMap(Int.init), (1...10_000).contains(neighbours)
            else { return nil }
            c.weighting = weighting
            c.neighbours = neighbours
            c.threads = threads
            return SearchCandidate(.knn(c))
        case "blend":
            guard case let als as ALSConfiguration = from(algorithm: "als", settings: settings, seed: seed, threads: threads)?.spec.training,
                let lambda = settings["ease_regularization"].flatMap(Float.init), lambda > 0, lambda.isFinite,
                let weight = settings["ease_weight"].flatMap(Float.init), (0...1).contains(weight)
            else { return nil }
            return SearchCandidate(
                ModelSpec(BlendConfiguration(ease: EASEConfiguration(regularization: lambda, threads: threads), als: als, easeWeight: weight)))
        case "popular": return SearchCandidate(.popular)
        default: return nil
        }
    }

    /// `value` to three significant digits: drawn settings are kept so, and their text reads back exactly.
    static func significant(_ value: Double) -> Double {
        guard value > 0, value.isFinite else { return value }
        let scale = pow(10, 2 - floor(log10(value)))
        return (value * scale).rounded() / scale
    }

    /// Four significant digits, no exponent for ordinary values.
    static func short(_ value: Float) -> String {
        let v = Double(value)
        if v.rounded() == v, abs(v) < 1e7 { return "\(Int(v))" }
        return String(format: "%.4g", v)
    }
}
